/**
 * The backtest's pipeline — per chunk of candles the strategy's indicators (`prepareRange`), then
 * the simulation over that chunk — makes exactly the trades, equity curve and metrics of the
 * whole-series path (`prepare` once, then the loop), for every built-in strategy and any chunk size:
 * 1, 7, the default 4,096, and more than the data. With the indicator series kept (charts) they are
 * the whole-series ones bit for bit; without, none are returned.
 */
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import { computeMetrics, runBacktest } from '../../../src/backtest/index.ts';
import { curveStats, EquityCurvePass } from '../../../src/backtest/curve-stats.ts';
import type { BacktestOptions, BacktestResult } from '../../../src/backtest/types.ts';
import { BUILT_IN_STRATEGIES } from '../../../src/strategies/built-ins.ts';
import { parseStrategyParams } from '../../../src/strategies/registry.ts';
import type { StrategyDefinition, StrategyInstance } from '../../../src/strategies/strategy.ts';

const N = 10_000;
const candles = syntheticCandles(N, 42);

const CASES: Array<{ strategy: string; params: Record<string, unknown>; options?: Partial<BacktestOptions> }> = [
  { strategy: 'rsi-bb', params: { rsiPeriod: 6, oversold: 35, overbought: 65 } },
  { strategy: 'rsi-bb', params: { rsiPeriod: 14, oversold: 40, overbought: 60, bands: true, bbPeriod: 20, stopLossPct: 0.3, takeProfitPct: 0.5 }, options: { allowShort: true, fee: '0.1%' } },
  { strategy: 'rsi-bb', params: { rsiPeriod: 9, oversold: 35, overbought: 65, bands: true, bbPeriod: 30, bbStdDev: 1 }, options: { fill: 'close', tradeFrom: 5000 } },
  { strategy: 'sma-cross', params: { fast: 3, slow: 9 }, options: { allowShort: true, sizing: 'percent:40' } },
  { strategy: 'sma-cross', params: { fast: 1, slow: 2 }, options: { fee: '10bps' } },
  { strategy: 'breakout', params: { period: 10, exitPeriod: 5, atrPeriod: 7, atrMultiplier: 1.5 }, options: { allowShort: true } },
  { strategy: 'breakout', params: { period: 8, exitPeriod: 8, atrPeriod: 1 }, options: { fee: '0.1%' } },
  { strategy: 'composite', params: { zPeriod: 20, threshold: 0.8 }, options: { allowShort: true } },
  { strategy: 'composite', params: { zPeriod: 7, momentumPeriod: 3, wRsi: 0, wVolume: 2, threshold: 0.5 } },
];

const definition = (name: string) => BUILT_IN_STRATEGIES.find((d) => d.name === name) as StrategyDefinition;

/** The strategy without its range form: the backtester prepares it over the whole series first. */
function wholeSeries(def: StrategyDefinition, raw: Record<string, unknown>): { instance: StrategyInstance; name: string; warmup: number } {
  const params = parseStrategyParams(def, raw);
  const inst = def.create(params);
  return { name: def.name, warmup: def.warmup(params), instance: { prepare: (c) => inst.prepare(c), onCandle: (ctx) => inst.onCandle(ctx), indicators: () => inst.indicators?.() ?? [] } };
}

/** Everything a run reports except its wall time and indicator series, in a comparable form. */
function comparable(r: BacktestResult) {
  const { elapsedMs, indicators, equity, equityTs, params, ...rest } = r;
  void [elapsedMs, indicators, params];
  return { ...rest, equity: Array.from(equity, (x) => (Object.is(x, -0) ? '-0' : x)), equityTs: Array.from(equityTs) };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('backtest pipeline by chunks = the whole-series path', () => {
  for (const c of CASES) {
    const def = definition(c.strategy);
    const base: BacktestOptions = { candles, strategy: def, params: c.params, symbol: 'BTC/USDT', timeframe: '1m', ...c.options };
    const reference = runBacktest({ ...base, strategy: wholeSeries(def, c.params), params: parseStrategyParams(def, c.params) });

    it(`${c.strategy} ${JSON.stringify(c.params)} ${JSON.stringify(c.options ?? {})} trades (the comparison is not empty)`, () => {
      expect(reference.tradeList.length).toBeGreaterThan(5);
    });

    it(`${c.strategy} ${JSON.stringify(c.params)}: the metrics folded in chunk by chunk are those of one pass over the finished curve`, () => {
      const from = c.options?.tradeFrom ?? 0;
      const whole = computeMetrics({ ts: reference.equityTs, close: candles.close.subarray(from), equity: reference.equity, initialEquity: 10_000, timeframeMs: 60_000, trades: reference.tradeList, exposedCandles: Math.round((reference.exposurePct / 100) * reference.equity.length), periodsPerYear: reference.periodsPerYear });
      for (const k of ['peakEquity', 'maxDrawdownPct', 'maxDrawdownDurationMs', 'avgDrawdownPct', 'avgDrawdownDurationMs', 'sharpe', 'sortino', 'annualVolatilityPct', 'annualReturnPct', 'calmar'] as const) {
        expect(Object.is(reference[k], whole[k]), k).toBe(true);
      }
    });

    for (const chunkSize of [1, 7, 4096, N + 1]) {
      for (const keep of [true, false]) {
        it(`${c.strategy} ${JSON.stringify(c.params)}: chunks of ${chunkSize}, indicators ${keep ? 'kept' : 'not kept'}`, () => {
          const r = runBacktest({ ...base, chunkSize, indicators: keep });
          expect(comparable(r)).toEqual(comparable(reference));
          if (!keep && def.create(parseStrategyParams(def, c.params)).prepareRange) {
            expect(r.indicators).toBeUndefined();
            return;
          }
          const want = reference.indicators ?? [];
          const got = r.indicators ?? [];
          expect(got.map((s) => [s.name, s.pane])).toEqual(want.map((s) => [s.name, s.pane]));
          got.forEach((s, k) => expect(sameBits(s.values, want[k]!.values)).toBe(true));
        });
      }
    }
  }

  for (const c of CASES.filter((_, k) => k < 3 || k === 5)) {
    const def = definition(c.strategy);
    const base: BacktestOptions = { candles, strategy: def, params: c.params, symbol: 'BTC/USDT', timeframe: '1m', ...c.options };
    it(`${c.strategy} ${JSON.stringify(c.params)} ${JSON.stringify(c.options ?? {})}: without the whole equity curve, the same trades, metrics and monthly breakdown`, () => {
      const kept = runBacktest(base);
      expect(kept.equity.length).toBe(N - (c.options?.tradeFrom ?? 0));
      expect(kept.equityTs.length).toBe(kept.equity.length);
      const { equity, equityTs, ...want } = comparable(kept);
      void [equity, equityTs];
      for (const chunkSize of [1, 7, 4096, N + 1]) {
        const r = runBacktest({ ...base, chunkSize, equityCurve: false });
        expect([r.equity.length, r.equityTs.length]).toEqual([0, 0]);
        const { equity: e, equityTs: t, ...got } = comparable(r);
        void [e, t];
        expect(got).toEqual(want);
        expect(r.breakdowns.perMonth.length).toBeGreaterThan(0);
      }
    });
  }

  it('the equity curve pass in irregular pieces, from a first candle, equals one pass over that part', () => {
    const eq = Float64Array.from(candles.close, (x, i) => x * (1 + Math.sin(i / 50) / 10));
    const pass = new EquityCurvePass(candles.ts, eq, 40_000, 86_400_000, 1234, N);
    for (const [a, b] of [[0, 1000], [1000, 1300], [1300, 1301], [1301, 9000], [9000, N]] as const) pass.add(a, b);
    expect(pass.result()).toEqual(curveStats(candles.ts.subarray(1234), eq.subarray(1234), 40_000, 86_400_000));
    expect(() => pass.add(5, 10)).not.toThrow(); // before the first candle: nothing to add
    // The same curve handed over one piece at a time in a reused buffer (candle i at i − offset),
    // with the equity at chosen candles kept as it goes by.
    const at = [1234, 2000, 4999, 5000, N - 1];
    const window = new Float64Array(3000);
    const pieces = new EquityCurvePass(candles.ts, window, 40_000, 86_400_000, 1234, N, at);
    for (let from = 1234; from < N; from += window.length) {
      const to = Math.min(N, from + window.length);
      window.set(eq.subarray(from, to));
      pieces.add(from, to, from);
    }
    expect(pieces.result()).toEqual(pass.result());
    expect(Array.from(pieces.samples())).toEqual(at.map((i) => eq[i]));
    expect(pieces.result().last).toBe(eq[N - 1]);
    const gap = new EquityCurvePass(candles.ts, eq, 40_000, 86_400_000, 0, N);
    gap.add(0, 10);
    expect(() => gap.add(11, 20)).toThrow(/in order/);
  });

  it('refuses a chunk size that is not a whole number ≥ 1', () => {
    const def = definition('rsi-bb');
    for (const chunkSize of [0, 2.5, Number.NaN]) expect(() => runBacktest({ candles, strategy: def, chunkSize })).toThrow(/chunk size/);
  });
});
