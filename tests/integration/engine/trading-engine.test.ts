import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pino from 'pino';
import { type Database } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { OrderRequest } from '../../../src/domain/orders.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import { simBalancesOf } from '../../../src/app/build-exchange.ts';
import { createKernel, type Kernel } from '../../../src/kernel.ts';
import { ExecutionError, type Execution } from '../../../src/ports/execution.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });

/** Seen order-flow signals, by candle. */
const seenSignals: Array<ReadonlyMap<string, number> | undefined> = [];
const recorder: StrategyDefinition = {
  name: 'recorder',
  description: 'test: records the signals it is given',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: ({ signals }) => (seenSignals.push(signals), []) }),
};

/** Enters long on the first candle it sees after start, exits on the second. */
const scripted: StrategyDefinition = {
  name: 'scripted',
  description: 'test: enter, then exit',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create() {
    let seen = 0;
    return {
      prepare() {},
      onCandle({ position }) {
        seen++;
        if (seen === 1 && !position) return [{ kind: 'enter', side: 'long', stopLoss: 1, reason: 'test entry' }];
        if (seen === 2 && position) return [{ kind: 'exit', reason: 'test exit' }];
        return [];
      },
    };
  },
};

describe('trading engine on the simulated exchange and PGlite', () => {
  let db: Database | undefined;
  let sim: SimExchange | undefined;
  afterEach(async () => {
    await sim?.close();
    await db?.close();
    sim = undefined;
    db = undefined;
  });

  async function setup(wrap?: (e: Execution) => Execution, strategy: StrategyDefinition = scripted) {
    let wall = Date.UTC(2026, 0, 1);
    db ??= await openMigratedPglite();
    await migrate(db);
    const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
    // A restarted paper account: the simulated venue gets back the coins the stored account holds.
    const cash = await store.cash('sim');
    const balances = simBalancesOf(cash === undefined ? undefined : { cash, positions: await store.positions('sim') }, 'spot', 10_000);
    sim = await createSimExchange({ symbols: ['BTC/USDT'], timeframe: '1m', seed: 7, speed: 1, historyCandles: 500, ...balances, feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall });
    const execution = wrap ? wrap(sim) : sim;
    const kernel: Kernel = await createKernel(
      { marketData: sim, execution, clock: sim.clock, store, logger },
      { mode: 'paper', strategy, params: {}, symbols: ['BTC/USDT'], timeframe: '1m', sizing: parseSizing('percent:50'), allowShort: false, initialCash: 10_000, orderPolicy: { lookupDelayMs: 0 } },
    );
    const events: DomainEvent[] = [];
    kernel.bus.onAny((e) => void events.push(e));
    return { kernel, store, events, advance: (s: number) => (wall += s * 1000) };
  }

  it('acts only on candles closed after start, then enters and exits with stored orders, fills, decisions and events', async () => {
    const { kernel, store, events, advance } = await setup();
    await kernel.engine.tick();
    expect(events.filter((e) => e.type === 'entry')).toHaveLength(0);
    expect(kernel.engine.lastTickAt).toBeDefined();

    advance(1);
    await kernel.engine.tick();
    const entry = events.find((e) => e.type === 'entry');
    expect(entry).toMatchObject({ type: 'entry', symbol: 'BTC/USDT', side: 'long' });
    const pos = kernel.portfolio.get('BTC/USDT')!;
    expect(pos.quantity).toBeGreaterThan(0);
    expect(pos.stopLoss).toBe(1);
    expect((await store.positions('sim'))[0]!.quantity).toBeCloseTo(pos.quantity, 9);

    advance(1);
    await kernel.engine.tick();
    const exit = events.find((e) => e.type === 'exit');
    expect(exit).toMatchObject({ type: 'exit', symbol: 'BTC/USDT', reason: 'test exit' });
    expect(kernel.portfolio.get('BTC/USDT')).toBeUndefined();
    const fills = await store.recentFills(10);
    expect(fills).toHaveLength(2);
    expect(fills.every((f) => f.fee > 0)).toBe(true);
    const filled = await store.ordersByStatus(['filled']);
    expect(filled).toHaveLength(2);
    // Cash moved by realised P&L and fees exactly as the fills say.
    const pnl = fills.reduce((s, f) => s + f.realizedPnl - f.fee, 0);
    expect(kernel.portfolio.cash).toBeCloseTo(10_000 + pnl, 6);
    expect(await store.cash('sim')).toBeCloseTo(kernel.portfolio.cash, 6);
  });

  it('hands the strategy order-flow signals: CVD of the candles so far', async () => {
    const { kernel, advance } = await setup(undefined, recorder);
    await kernel.engine.tick();
    advance(2);
    await kernel.engine.tick();
    expect(seenSignals.length).toBeGreaterThanOrEqual(2);
    for (const s of seenSignals) {
      expect(Number.isFinite(s!.get('cvd'))).toBe(true);
      expect(Number.isFinite(s!.get('cvd_delta'))).toBe(true);
    }
    // CVD of consecutive candles differs exactly by the later candle's delta.
    const [a, b] = seenSignals.slice(-2);
    expect(b!.get('cvd')! - a!.get('cvd')!).toBeCloseTo(b!.get('cvd_delta')!, 6);
  });

  it('stores a denial as data and publishes it when trading is halted', async () => {
    const { kernel, events, advance } = await setup();
    await kernel.engine.tick();
    await kernel.tradingState.set('HALTED', 'test halt', 'tester');
    advance(1);
    await kernel.engine.tick();
    const denied = events.find((e) => e.type === 'order-denied');
    expect(denied).toBeDefined();
    expect((denied as { reasons: string[] }).reasons[0]).toMatch(/^HALTED/);
    expect(await kernel.ports.store.ordersByStatus(['pending', 'filled', 'rejected'])).toHaveLength(0);
    expect(events.some((e) => e.type === 'trading-state-changed')).toBe(true);
  });

  it('adopts an order whose response was lost by looking it up by clientOrderId, never resending', async () => {
    const sent: OrderRequest[] = [];
    let loseNext = true;
    const { kernel, store, events, advance } = await setup((inner) => ({
      ...inner,
      exchangeId: inner.exchangeId,
      market: (s) => inner.market(s),
      fetchOrder: (id, s) => inner.fetchOrder(id, s),
      async placeOrder(req) {
        sent.push(req);
        const report = await inner.placeOrder(req);
        if (loseNext) {
          loseNext = false;
          throw new ExecutionError('unknown-outcome', 'response lost');
        }
        return report;
      },
    }));
    await kernel.engine.tick();
    advance(1);
    await kernel.engine.tick();
    expect(sent.filter((r) => r.side === 'buy')).toHaveLength(1);
    const [filled] = await store.ordersByStatus(['filled']);
    expect(filled!.clientOrderId).toBe(sent[0]!.clientOrderId);
    expect(await store.fillsOfOrder(filled!.clientOrderId)).not.toHaveLength(0);
    expect(kernel.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(filled!.filled, 9);
    expect(events.some((e) => e.type === 'entry')).toBe(true);
    expect(events.some((e) => e.type === 'order-rejected')).toBe(false);
  });

  it('restores cash, positions and trading state after a restart', async () => {
    const first = await setup();
    await first.kernel.engine.tick();
    first.advance(1);
    await first.kernel.engine.tick();
    const pos = first.kernel.portfolio.get('BTC/USDT')!;
    await first.kernel.tradingState.set('REDUCING', 'paused by test', 'tester');
    const again = await setup();
    expect(again.kernel.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(pos.quantity, 9);
    expect(again.kernel.portfolio.cash).toBeCloseTo(first.kernel.portfolio.cash, 6);
    expect(again.kernel.tradingState.get().state).toBe('REDUCING');
    // The venue holds the coins again, so the restarted bot can still close the position.
    await again.kernel.engine.tick();
    await again.kernel.engine.execute('BTC/USDT', [{ kind: 'exit', reason: 'after restart' }], again.kernel.engine.markPrices().get('BTC/USDT')!);
    expect(again.events.filter((e) => e.type !== 'fill'), JSON.stringify(again.events)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'exit' })]));
    expect(again.kernel.portfolio.get('BTC/USDT')).toBeUndefined();
    expect(again.events.some((e) => e.type === 'exit')).toBe(true);
    expect(again.events.some((e) => e.type === 'order-rejected')).toBe(false);
  });
});
