/**
 * The process is killed with SIGKILL at random moments while it trades on PostgreSQL (the simulated
 * market at high speed, a strategy that trades every few candles). After every kill and restart:
 * no order final without its fills, every position equal to Σ its fills, and the restarted process
 * holds what the database says.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';
import { checkInvariants, inStderr } from '../support/trading-invariants.ts';

const READY = /tradeops ready: (.*)\n/;
const KILLS = 20;

describe.skipIf(!pgServerUrl())('SIGKILL while trading on PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> } | undefined;
  let bot: BotProcess | undefined;
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await db?.drop();
  });

  it(`keeps fills, positions and orders consistent across ${KILLS} kills at random moments`, async () => {
    db = await createTempDatabase();
    const env = {
      DATABASE_URL: db.url,
      DATA_DIR: tempDataDir(),
      HTTP_PORT: '0',
      CONSOLE: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      SIM_SPEED: '20',
      STRATEGY: 'sma-cross',
      STRATEGY_PARAMS: '{"fast":2,"slow":3}',
      ORDER_SIZE_PCT: '20',
      ORDER_LOOKUP_DELAY_MS: '0',
    };
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let lastOrders = 0;
    for (let k = 0; k < KILLS; k++) {
      bot = spawnBot(['start'], env);
      await bot.waitFor(READY, 60_000);
      await new Promise((r) => setTimeout(r, 1_000 + random() * 3_000));
      await bot.stop('SIGKILL');
      const inv = await checkInvariants(db.url);
      expect(inv.finalWithoutFills, `kill ${k + 1}`).toEqual([]);
      expect(inv.positionMismatches, `kill ${k + 1}`).toEqual([]);
      expect(inv.orders).toBeGreaterThanOrEqual(lastOrders);
      lastOrders = inv.orders;
    }
    // It did trade, and a last clean start reconciles and reports the same holdings as the database.
    expect(lastOrders).toBeGreaterThanOrEqual(KILLS / 2);
    bot = spawnBot(['start'], { ...env, LOG_LEVEL: 'info' });
    const ready = await bot.waitFor(READY, 60_000);
    await inStderr(bot, /reconciliation finished/, 30_000);
    const url = /http=(http:\/\/[^\s]+)/.exec(ready[1]!)![1]!;
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok', role: 'leader' });
    const inv = await checkInvariants(db.url);
    expect(inv.finalWithoutFills).toEqual([]);
    expect(inv.positionMismatches).toEqual([]);
    const stop = await bot.stop('SIGTERM');
    expect(stop.code).toBe(0);
  }, 900_000);
});
