import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { createKernel } from '../../../src/kernel.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

/** Enters when flat and exits when in, on every candle. */
const flipper: StrategyDefinition = {
  name: 'flipper',
  description: 'test: flips on every candle',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: ({ position }) => (position ? [{ kind: 'exit', reason: 'flip' }] : [{ kind: 'enter', side: 'long', reason: 'flip' }]) }),
};

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('log lines of the trading path carry their context', () => {
  it('every order, fill and denial line names its component, strategy and symbol; order lines their clientOrderId', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    db = await openMigratedPglite();
    const wall = { t: Date.UTC(2026, 3, 1, 9) };
    const sim = await createSimExchange({ symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', seed: 5, speed: 1, historyCandles: 300, cash: 10_000, feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall.t });
    const kernel = await createKernel(
      { marketData: sim, execution: sim, clock: sim.clock, store: new DrizzleTradingStore(db.db, () => sim.clock.now()), logger },
      { mode: 'paper', strategy: flipper, params: {}, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', sizing: parseSizing('percent:20'), allowShort: false, initialCash: 10_000 },
    );
    for (let k = 0; k < 4; k++) {
      await kernel.engine.tick();
      wall.t += 60_000;
    }
    await kernel.tradingState.set('REDUCING', 'test: exits only', 'test');
    for (let k = 0; k < 3; k++) {
      await kernel.engine.tick();
      wall.t += 60_000;
    }

    const orderLines = lines.filter((l) => /^order (sent|filled|open|rejected|refused|canceled|partially)|^fill$/.test(String(l.msg)));
    const denials = lines.filter((l) => String(l.msg).startsWith('order denied'));
    expect(orderLines.filter((l) => l.msg === 'order sent').length).toBeGreaterThanOrEqual(4);
    expect(orderLines.filter((l) => l.msg === 'fill').length).toBeGreaterThanOrEqual(4);
    expect(orderLines.filter((l) => l.msg === 'order filled').length).toBeGreaterThanOrEqual(4);
    expect(denials.length).toBeGreaterThanOrEqual(1);
    for (const l of [...orderLines, ...denials]) {
      expect(l, JSON.stringify(l)).toMatchObject({ strategy: 'flipper', symbol: expect.stringMatching(/^(BTC|ETH)\/USDT$/) });
      expect(typeof l.component, JSON.stringify(l)).toBe('string');
    }
    for (const l of orderLines) expect(String(l.clientOrderId), JSON.stringify(l)).toMatch(/^to/);
    expect(denials[0]).toMatchObject({ component: 'risk', codes: ['NO_NEW_ENTRIES'] });
    // Every line at all names its component.
    for (const l of lines) expect(l.component, JSON.stringify(l)).toBeTypeOf('string');
  }, 60_000);
});
