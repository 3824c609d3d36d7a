import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { registerTradingGauges } from '../../../src/adapters/metrics/trading-gauges.ts';
import { createKernel } from '../../../src/kernel.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import { parseStrategyParams } from '../../../src/strategies/registry.ts';
import { smaCross } from '../../../src/strategies/sma-cross.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { Registry } from 'prom-client';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });

/** The kernel's account figures against what the simulated venue itself reports, after real fills with fees. */
describe('accounting matches the exchange (sim venue, PGlite)', () => {
  let db: Database | undefined;
  let sim: SimExchange | undefined;
  afterEach(async () => {
    await sim?.close();
    await db?.close();
  });

  async function setup(marketType: 'spot' | 'swap') {
    let wall = Date.UTC(2026, 4, 1, 12);
    db = await openMigratedPglite();
    const symbol = marketType === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT';
    sim = await createSimExchange({ symbols: [symbol], timeframe: '1m', seed: 3, speed: 1, historyCandles: 100, cash: 10_000, feeBps: 10, slippageBps: 5, marketType, leverage: 3, now: () => wall });
    const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
    const kernel = await createKernel(
      { marketData: sim, execution: sim, clock: sim.clock, store, logger },
      { mode: 'paper', strategy: smaCross as unknown as StrategyDefinition, params: parseStrategyParams(smaCross as unknown as StrategyDefinition, {}), symbols: [symbol], timeframe: '1m', sizing: parseSizing('percent:30'), allowShort: marketType === 'swap', initialCash: 10_000, marketType, leverage: 3 },
    );
    await kernel.engine.tick();
    return { kernel, symbol, advance: () => (wall += 1000) };
  }

  it('spot: cash is the free USDT /balance shows; equity = cash + coins at the last price; /metrics agrees', async () => {
    const { kernel, symbol, advance } = await setup('spot');
    const price = kernel.engine.markPrices().get(symbol)!;
    await kernel.engine.execute(symbol, [{ kind: 'enter', side: 'long', reason: 'test' }], price);
    advance();
    await kernel.engine.tick();
    const venue = await sim!.fetchBalances();
    const a = kernel.account();
    if (a.marketType !== 'spot') throw new Error('expected a spot account');
    const mark = kernel.engine.markPrices().get(symbol)!;
    expect(venue.BTC!.total).toBeGreaterThan(0);
    expect(a.cash).toBeCloseTo(venue.USDT!.free, 6);
    expect(a.cash).toBeLessThan(10_000 * 0.71); // 30 % went into coins, plus the fee
    expect(a.holdings).toBeCloseTo(venue.BTC!.total * mark, 6);
    expect(a.equity).toBeCloseTo(venue.USDT!.free + venue.BTC!.total * mark, 6);
    // The same figures on /metrics.
    const registry = new Registry();
    registerTradingGauges(registry, { kernel });
    const text = await registry.metrics();
    expect(Number(/^tradeops_cash (\S+)$/m.exec(text)![1])).toBeCloseTo(venue.USDT!.free, 6);
    expect(Number(/^tradeops_equity (\S+)$/m.exec(text)![1])).toBeCloseTo(a.equity, 6);
  }, 60_000);

  it('swap: wallet balance, unrealised P&L, margin used and available match the venue', async () => {
    const { kernel, symbol, advance } = await setup('swap');
    const price = kernel.engine.markPrices().get(symbol)!;
    await kernel.engine.execute(symbol, [{ kind: 'enter', side: 'short', reason: 'test' }], price);
    for (let k = 0; k < 5; k++) {
      advance();
      await kernel.engine.tick();
    }
    const a = kernel.account();
    if (a.marketType !== 'swap') throw new Error('expected a swap account');
    const venue = (await sim!.fetchBalances()).USDT!;
    const position = kernel.portfolio.get(symbol)!;
    expect(position.quantity).toBeLessThan(0);
    // The venue values at its current price (the forming candle's open = the last close here).
    expect(a.equity).toBeCloseTo(venue.total, 6);
    expect(a.marginUsed).toBeCloseTo(venue.used, 6);
    expect(a.marginAvailable).toBeCloseTo(venue.free, 6);
    expect(a.walletBalance + a.unrealizedPnl).toBeCloseTo(a.equity, 9);
    expect(a.marginUsed).toBeCloseTo((Math.abs(position.quantity) * position.entryPrice) / 3, 9);
  }, 60_000);
});
