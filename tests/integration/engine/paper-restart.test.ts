import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { simBalancesOf } from '../../../src/app/build-exchange.ts';
import { loadSimMarketState, simMarketStateSaver } from '../../../src/app/sim-market-state.ts';
import { createKernel } from '../../../src/kernel.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });
const SYMBOL = 'BTC/USDT';

/** Buys on the first candle it may act on and holds. */
const holder: StrategyDefinition = {
  name: 'holder',
  description: 'test: buy and hold',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: ({ position }) => (position ? [] : [{ kind: 'enter', side: 'long', reason: 'hold' }]) }),
};

/**
 * A paper process on the simulated exchange, wired as src/main.ts wires it: the stored market state
 * and paper account are loaded before the venue is built, the market state is saved after every tick.
 */
async function start(db: Database, wall: { t: number }, o: { resume: boolean } = { resume: true }) {
  let sim: SimExchange | undefined;
  const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
  const cash = await store.cash('sim');
  const account = cash === undefined ? undefined : { cash, positions: await store.positions('sim') };
  const resume = o.resume ? await loadSimMarketState(store) : undefined;
  sim = await createSimExchange({ symbols: [SYMBOL], timeframe: '1m', seed: 21, speed: 2, historyCandles: 600, ...simBalancesOf(account, 'spot', 10_000), feeBps: 10, slippageBps: 2, marketType: 'spot', now: () => wall.t, resume });
  const kernel = await createKernel(
    { marketData: sim, execution: sim, clock: sim.clock, store, logger, wallClock: { now: () => wall.t } },
    { mode: 'paper', strategy: holder, params: {}, symbols: [SYMBOL], timeframe: '1m', sizing: parseSizing('percent:50'), allowShort: false, initialCash: 10_000 },
  );
  const saver = simMarketStateSaver(store, () => sim!.marketState(), () => wall.t);
  const tick = async () => {
    await kernel.engine.tick();
    await saver.maybeSave();
  };
  return { sim, kernel, tick };
}

describe('a paper market that continues after a restart (sim venue, PGlite)', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
  });

  it('an open position keeps its value: same price path, same market time, equity unmoved without a trade', async () => {
    db = await openMigratedPglite();
    const wall = { t: Date.UTC(2026, 5, 1, 8) };
    const first = await start(db, wall);
    await first.tick();
    for (let k = 0; k < 12; k++) {
      wall.t += 1000; // SIM_SPEED 2: two candles a second
      await first.tick();
    }
    const position = first.kernel.portfolio.get(SYMBOL);
    expect(position?.quantity).toBeGreaterThan(0);
    const before = { equity: first.kernel.account().equity, marketNow: first.sim.clock.now(), lastCandle: first.kernel.engine.lastCandleAt, price: await first.sim.fetchPrice(SYMBOL) };
    const balancesBefore = await first.sim.fetchBalances();

    // The process dies; an hour of real time passes (the accelerated market would be 7,200 candles on).
    wall.t += 3_600_000;
    const second = await start(db, wall);
    expect(second.sim.resumed).toBe(true);
    expect(second.sim.clock.now()).toBe(before.marketNow);
    expect(await second.sim.fetchPrice(SYMBOL)).toBe(before.price);
    await second.tick();
    expect(second.kernel.engine.lastCandleAt).toBe(before.lastCandle);
    expect(second.kernel.portfolio.get(SYMBOL)).toMatchObject({ quantity: position!.quantity, entryPrice: position!.entryPrice });
    expect(second.kernel.account().equity).toBeCloseTo(before.equity, 9);
    expect(await second.sim.fetchBalances()).toEqual(balancesBefore);
    // No decision was taken on the restart (no new candle): nothing traded.
    expect((await second.sim.fetchMyTrades(SYMBOL)).length).toBe(0);

    // The market then moves on from there, candle after candle.
    wall.t += 1000;
    await second.tick();
    expect(second.kernel.engine.lastCandleAt).toBe(before.lastCandle! + 2 * 60_000);

    // Control: a market started from its seed again (what restarts did before) values the position otherwise.
    const fresh = await start(db, wall, { resume: false });
    await fresh.tick();
    expect(fresh.sim.clock.now()).not.toBe(before.marketNow);
    expect(fresh.kernel.account().equity).not.toBeCloseTo(before.equity, 2);
  }, 120_000);
});
