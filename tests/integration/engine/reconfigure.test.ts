import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleRiskStore } from '../../../src/adapters/db/repositories/drizzle-risk-store.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { simBalancesOf } from '../../../src/app/build-exchange.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { NO_RISK_SETTINGS } from '../../../src/engine/risk-layer.ts';
import { createKernel } from '../../../src/kernel.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

/** Records which symbols it decided on, and enters long on every candle while flat. */
function recorder(name: string, seen: string[]): StrategyDefinition {
  return {
    name,
    description: 'test: records its candles',
    params: z.object({}).strict() as never,
    warmup: () => 1,
    create: () => ({ prepare() {}, onCandle: ({ symbol, position }) => (seen.push(symbol), position ? [] : [{ kind: 'enter', side: 'long', reason: `${name} entry` }]) }),
  };
}

describe('kernel.reconfigure: another strategy and symbols between ticks (/reload_config)', () => {
  let db: Database | undefined;
  let sim: SimExchange | undefined;
  afterEach(async () => {
    await sim?.close();
    await db?.close();
  });

  it('the next ticks run the new strategy on the new symbols; every component follows them', async () => {
    let wall = Date.UTC(2026, 0, 1);
    db = await openMigratedPglite();
    const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
    sim = await createSimExchange({ symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', seed: 3, speed: 1, historyCandles: 500, ...simBalancesOf(undefined, 'spot', 10_000), feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall });
    const before: string[] = [];
    const after: string[] = [];
    const first = recorder('first', before);
    const kernel = await createKernel(
      { marketData: sim, execution: sim, clock: sim.clock, store, logger: pino({ level: 'silent' }), riskStore: new DrizzleRiskStore(db.db) },
      { mode: 'paper', strategy: first, params: {}, symbols: ['BTC/USDT'], timeframe: '1m', sizing: parseSizing('percent:10'), allowShort: false, initialCash: 10_000, orderPolicy: { lookupDelayMs: 0 }, risk: NO_RISK_SETTINGS },
    );
    const events: DomainEvent[] = [];
    kernel.bus.onAny((e) => void events.push(e));
    const tick = async () => {
      wall += 61_000;
      await kernel.engine.tick();
    };
    await kernel.engine.tick();
    await tick();
    expect(new Set(before)).toEqual(new Set(['BTC/USDT']));

    await kernel.reconfigure({ strategy: recorder('second', after), params: {}, symbols: ['BTC/USDT', 'ETH/USDT'] });
    expect(kernel.options.strategy.name).toBe('second');
    expect(kernel.options.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    const decidedBefore = before.length;
    for (let i = 0; i < 3; i++) await tick();
    expect(before.length).toBe(decidedBefore);
    expect(new Set(after)).toEqual(new Set(['BTC/USDT', 'ETH/USDT']));
    // The new symbol is traded, watched by the panic monitor and reported without errors.
    expect(events.filter((e) => e.type === 'entry' && e.symbol === 'ETH/USDT')).toHaveLength(1);
    expect(kernel.engine.candles('ETH/USDT')?.length).toBeGreaterThan(0);
    expect(kernel.risk.panic.latest('ETH/USDT')).toBeDefined();
    expect(events.filter((e) => e.type === 'exchange-error')).toEqual([]);
  });
});
