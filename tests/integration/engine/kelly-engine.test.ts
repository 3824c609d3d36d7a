import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pino from 'pino';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleRiskStore } from '../../../src/adapters/db/repositories/drizzle-risk-store.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { simBalancesOf } from '../../../src/app/build-exchange.ts';
import { createKernel } from '../../../src/kernel.ts';
import type { Execution } from '../../../src/ports/execution.ts';

type OrderRequest = Parameters<Execution['placeOrder']>[0];
import type { KellySettings, TradeStats } from '../../../src/risk/kelly-size.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });

const eager: StrategyDefinition = {
  name: 'eager',
  description: 'test: always wants in',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: ({ position }) => (position ? [] : [{ kind: 'enter', side: 'long', reason: 'test entry' }]) }),
};

const K: KellySettings = { lookback: 50, multiplier: 0.5, minTrades: 20, targetVolPct: 0, volScaleCap: 2, maxPositionPct: 100, fallbackPct: 10 };

describe('ORDER_SIZING=kelly: the engine sizes strategy entries by the Kelly size', () => {
  let db: Database | undefined;
  let sim: SimExchange | undefined;
  afterEach(async () => {
    await sim?.close();
    await db?.close();
    sim = db = undefined;
  });

  async function firstEntry(kelly: KellySettings | undefined, stats: TradeStats) {
    let wall = Date.UTC(2026, 0, 1);
    db = await openMigratedPglite();
    const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
    sim = await createSimExchange({ symbols: ['BTC/USDT'], timeframe: '1m', seed: 7, speed: 1, historyCandles: 500, ...simBalancesOf(undefined, 'spot', 10_000), feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall });
    const sent: OrderRequest[] = [];
    const base: Execution = sim;
    const execution: Execution = new Proxy(base, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r);
        if (k === 'placeOrder') return (req: OrderRequest, ...a: unknown[]) => (sent.push(req), (v as (...x: unknown[]) => unknown).call(t, req, ...a));
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const asked: string[] = [];
    const kernel = await createKernel(
      { marketData: sim, execution, clock: sim.clock, store, logger, riskStore: new DrizzleRiskStore(db.db), tradeStats: async (s) => (asked.push(s), stats) },
      { mode: 'paper', strategy: eager, params: {}, symbols: ['BTC/USDT'], timeframe: '1m', sizing: parseSizing('percent:10'), kelly, allowShort: false, initialCash: 10_000, orderPolicy: { lookupDelayMs: 0 } },
    );
    await kernel.engine.tick();
    for (let i = 0; i < 3 && sent.length === 0; i++) {
      wall += 60_000;
      await kernel.engine.tick();
    }
    expect(sent).toHaveLength(1);
    const candles = kernel.engine.candles('BTC/USDT')!;
    const price = candles.close[candles.length - 1]!;
    return { notional: sent[0]!.amount * price * 1.001, asked };
  }

  it('W = 0.6, R = 2 over 30 trades: f* = 0.4, half-Kelly 0.2 of equity (not ORDER_SIZE_PCT 10 %)', async () => {
    const { notional, asked } = await firstEntry(K, { source: 'live', trades: 30, winRate: 0.6, payoff: 2 });
    expect(asked).toContain('BTC/USDT');
    expect(notional).toBeGreaterThan(1990);
    expect(notional).toBeLessThanOrEqual(2000.001);
  });

  it('below KELLY_MIN_TRADES the fixed ORDER_SIZE_PCT (the fallback)', async () => {
    const { notional } = await firstEntry(K, { source: 'live', trades: 5, winRate: 0.6, payoff: 2 });
    expect(notional).toBeGreaterThan(990);
    expect(notional).toBeLessThanOrEqual(1000.001);
  });

  it('capped at MAX_POSITION_PCT', async () => {
    const { notional } = await firstEntry({ ...K, maxPositionPct: 15 }, { source: 'backtest', trades: 30, winRate: 0.6, payoff: 2 });
    expect(notional).toBeGreaterThan(1490);
    expect(notional).toBeLessThanOrEqual(1500.001);
  });

  it('ORDER_SIZING=percent does not ask for trade stats', async () => {
    const { notional, asked } = await firstEntry(undefined, { source: 'live', trades: 30, winRate: 0.6, payoff: 2 });
    expect(asked).toEqual([]);
    expect(notional).toBeLessThanOrEqual(1000.001);
  });
});
