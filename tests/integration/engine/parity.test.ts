import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { runBacktest } from '../../../src/backtest/index.ts';
import type { Fill } from '../../../src/domain/orders.ts';
import { createKernel } from '../../../src/kernel.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import { BUILT_IN_STRATEGIES } from '../../../src/strategies/built-ins.ts';
import { instantiate, parseStrategyParams } from '../../../src/strategies/registry.ts';
import type { Intent, StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

/**
 * The parity test: the same candles through the kernel (paper mode on the simulated exchange, its
 * clock driven by hand, one tick per closed candle) and through runBacktest must give identical
 * trades — times, prices, quantities, fees — for every built-in strategy with stop-loss and
 * take-profit on. Either path changing alone (fills, sizing, stops, the gate) breaks it.
 */

const logger = pino({ level: 'silent' });
const SYMBOL = 'BTC/USDT';
const TICKS = 700;
const FEE_BPS = 10;
const SLIPPAGE_BPS = 2;

/** Parameters that make each built-in trade often on one-minute synthetic candles. */
const PARAMS: Record<string, Record<string, unknown>> = {
  'sma-cross': { fast: 3, slow: 9 },
  'rsi-bb': { rsiPeriod: 6, oversold: 35, overbought: 65, stopLossPct: 0.4, takeProfitPct: 0.6 },
  breakout: { period: 10, exitPeriod: 5, atrPeriod: 7, atrMultiplier: 1.5 },
  composite: { zPeriod: 20, threshold: 0.8 },
};

/** Puts a stop-loss and a take-profit (±0.35 % / 0.5 % of the close) on entries that have none. */
function protect(def: StrategyDefinition): StrategyDefinition {
  return {
    ...def,
    create(p) {
      const inner = def.create(p);
      return {
        prepare: (c) => inner.prepare(c),
        onCandle(ctx) {
          const out = inner.onCandle(ctx);
          if (!out) return out;
          const close = ctx.candles.close[ctx.i]!;
          return out.map((x): Intent => {
            if (x.kind !== 'enter') return x;
            const long = x.side === 'long';
            return { ...x, stopLoss: x.stopLoss ?? close * (long ? 0.9965 : 1.0035), takeProfit: x.takeProfit ?? close * (long ? 1.005 : 0.995) };
          });
        },
      };
    },
  };
}

interface Trip {
  entryTs: number;
  entryPrice: number;
  quantity: number;
  exitTs: number | undefined;
  exitPrice: number | undefined;
  fees: number;
}

/** Round trips from the kernel's fills (one entry fill, one exit fill each on the sim). */
function tripsOf(fills: readonly Fill[]): Trip[] {
  const out: Trip[] = [];
  let open: Trip | undefined;
  for (const f of fills) {
    if (!open) {
      open = { entryTs: f.ts, entryPrice: f.price, quantity: f.amount, exitTs: undefined, exitPrice: undefined, fees: f.fee };
      continue;
    }
    expect(f.amount).toBeCloseTo(open.quantity, 12);
    open.exitTs = f.ts;
    open.exitPrice = f.price;
    open.fees += f.fee;
    out.push(open);
    open = undefined;
  }
  if (open) out.push(open);
  return out;
}

describe('parity: kernel (paper, simulated clock) and runBacktest make the same trades', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openMigratedPglite();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  for (const builtIn of BUILT_IN_STRATEGIES) {
    for (const sizingText of ['all-in', 'percent:40']) {
      it(`${builtIn.name}, ${sizingText} sizing, stop-loss and take-profit on`, async () => {
        const def = protect(builtIn);
        const params = parseStrategyParams(def, PARAMS[builtIn.name] ?? {});
        let wall = Date.UTC(2026, 2, 1, 12);
        const exchangeId = `parity-${builtIn.name}-${sizingText.replace(':', '')}`;
        const sim = await createSimExchange({ exchangeId, symbols: [SYMBOL], timeframe: '1m', seed: 11, speed: 1, historyCandles: 400, cash: 10_000, feeBps: FEE_BPS, slippageBps: SLIPPAGE_BPS, marketType: 'spot', now: () => wall });
        const store = new DrizzleTradingStore(db.db, () => sim.clock.now());
        const kernel = await createKernel(
          { marketData: sim, execution: sim, clock: sim.clock, store, logger, wallClock: { now: () => wall } },
          { mode: 'paper', strategy: def, params, symbols: [SYMBOL], timeframe: '1m', sizing: parseSizing(sizingText), allowShort: false, initialCash: 10_000, allInSlippage: SLIPPAGE_BPS / 10_000 },
        );
        const fills: Fill[] = [];
        kernel.bus.on('fill', (e) => void fills.push(e.fill));
        await kernel.engine.tick();
        const historyLength = kernel.engine.candles(SYMBOL)!.length;
        for (let k = 0; k < TICKS; k++) {
          wall += 1000; // one simulated minute: exactly one more candle closes
          await kernel.engine.tick();
        }
        const candles = kernel.engine.candles(SYMBOL)!;
        expect(candles.length).toBe(historyLength + TICKS);
        const lastTs = candles.ts[candles.length - 1]!;

        const bt = runBacktest({
          candles,
          symbol: SYMBOL,
          timeframe: '1m',
          strategy: { instance: instantiate(def, params), name: def.name, warmup: def.warmup(params) },
          cash: 10_000,
          market: sim.market(SYMBOL)!,
          slippage: SLIPPAGE_BPS,
          sizing: sizingText,
          tradeFrom: historyLength,
        });
        // Orders decided on the last candle fill after the data ends: the backtest drops them.
        const kernelTrips = tripsOf(fills.filter((f) => f.ts <= lastTs));
        const btTrips: Trip[] = bt.tradeList.map((t) => ({
          entryTs: t.entryTs,
          entryPrice: t.entryPrice,
          quantity: t.quantity,
          exitTs: t.openAtEnd ? undefined : t.exitTs,
          exitPrice: t.openAtEnd ? undefined : t.exitPrice,
          fees: t.openAtEnd ? t.fees - t.quantity * t.exitPrice * sim.market(SYMBOL)!.takerFee : t.fees,
        }));
        expect(btTrips.length).toBeGreaterThanOrEqual(4);
        expect(bt.tradeList.some((t) => t.exitReason === 'stop-loss' || t.exitReason === 'take-profit')).toBe(true);
        expect(kernelTrips.length).toBe(btTrips.length);
        for (let k = 0; k < btTrips.length; k++) {
          const a = kernelTrips[k]!;
          const b = btTrips[k]!;
          expect([a.entryTs, a.entryPrice, a.quantity, a.exitTs, a.exitPrice]).toEqual([b.entryTs, b.entryPrice, b.quantity, b.exitTs, b.exitPrice]);
          expect(a.fees).toBeCloseTo(b.fees, 9);
        }
        await sim.close();
      }, 120_000);
    }
  }
});
