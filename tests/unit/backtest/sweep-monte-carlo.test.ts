import { describe, expect, it } from 'vitest';
import { monteCarlo, percentiles } from '../../../src/backtest/monte-carlo.ts';
import { heatmapCells, parseSweepSpec, rankRows, sweepGrid, type SweepRow } from '../../../src/backtest/sweep.ts';
import { parseBps, parseFeeRate, parseBacktestSizing } from '../../../src/backtest/options.ts';
import type { BacktestMetrics } from '../../../src/backtest/metrics-types.ts';

describe('sweep specs and grids', () => {
  it('parses ranges with a step (no float drift) and lists', () => {
    expect(parseSweepSpec('fast=5..30:5')).toEqual({ name: 'fast', values: [5, 10, 15, 20, 25, 30] });
    expect(parseSweepSpec('k=0.1..0.5:0.1').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseSweepSpec('bands=true,false').values).toEqual([true, false]);
    expect(() => parseSweepSpec('fast=30..5:5')).toThrow(/from ≤ to/);
    expect(() => parseSweepSpec('fast')).toThrow(/--sweep "fast" is not valid/);
  });

  it('builds the cartesian product over the base parameters', () => {
    const g = sweepGrid([parseSweepSpec('a=1..2'), parseSweepSpec('b=x,y')], { c: 0 });
    expect(g).toEqual([
      { c: 0, a: 1, b: 'x' },
      { c: 0, a: 1, b: 'y' },
      { c: 0, a: 2, b: 'x' },
      { c: 0, a: 2, b: 'y' },
    ]);
  });

  it('ranks best first, failed rows last, and lays out a two-parameter heatmap', () => {
    const m = (sharpe: number | null) => ({ sharpe }) as unknown as BacktestMetrics;
    const rows: SweepRow[] = [
      { params: { a: 1, b: 1 }, metrics: m(0.5) },
      { params: { a: 2, b: 1 }, error: 'invalid' },
      { params: { a: 1, b: 2 }, metrics: m(2) },
      { params: { a: 2, b: 2 }, metrics: m(null) },
    ];
    const ranked = rankRows(rows, 'sharpe');
    expect(ranked.map((r) => r.params)).toEqual([{ a: 1, b: 2 }, { a: 1, b: 1 }, { a: 2, b: 1 }, { a: 2, b: 2 }]);
    expect(() => rankRows(rows, 'luck')).toThrow(/cannot rank by "luck"/);
    const h = heatmapCells({ rankBy: 'sharpe', axes: [parseSweepSpec('a=1..2'), parseSweepSpec('b=1..2')], rows: ranked })!;
    expect(h.xs).toEqual([1, 2]);
    expect(h.cells).toContainEqual([0, 1, 2]);
    expect(h.cells).toContainEqual([1, 1, null]);
  });
});

describe('Monte Carlo bootstrap', () => {
  it('percentiles interpolate linearly between order statistics', () => {
    const p = percentiles(Float64Array.from([5, 1, 4, 2, 3]));
    expect(p).toEqual({ p5: 1.2, p25: 2, p50: 3, p75: 4, p95: 4.8 });
  });

  it('with one repeated trade every path is the same: equity and drawdown are exact', () => {
    // Three trades of +10 % each on equity 100 → 110, 121, 133.1 → every resample is the same.
    const r = monteCarlo([{ pnl: 10 }, { pnl: 11 }, { pnl: 12.1 }], 100, 500, 7);
    expect(r.finalEquity.p5).toBeCloseTo(133.1, 9);
    expect(r.finalEquity.p95).toBeCloseTo(133.1, 9);
    expect(r.maxDrawdownPct.p50).toBe(0);
    expect(r.lossProbabilityPct).toBe(0);
  });

  it('is seeded, spreads out mixed trades, and refuses an empty trade list', () => {
    const trades = [{ pnl: 20 }, { pnl: -10 }, { pnl: 15 }, { pnl: -12 }, { pnl: 5 }];
    const a = monteCarlo(trades, 1000, 2000, 1);
    expect(monteCarlo(trades, 1000, 2000, 1)).toEqual(a);
    expect(a.finalEquity.p5).toBeLessThan(a.finalEquity.p50);
    expect(a.finalEquity.p50).toBeLessThan(a.finalEquity.p95);
    expect(a.maxDrawdownPct.p5).toBeLessThan(0);
    expect(() => monteCarlo([], 1000, 10)).toThrow(/at least one trade/);
    expect(() => monteCarlo(trades, 1000, 0)).toThrow(/whole number of runs/);
  });
});

describe('cost and sizing options', () => {
  it('reads percentages, basis points and fractions', () => {
    expect(parseFeeRate('0.1%')).toBeCloseTo(0.001, 15);
    expect(parseFeeRate('10bps')).toBeCloseTo(0.001, 15);
    expect(parseFeeRate(0.00075)).toBe(0.00075);
    expect(() => parseFeeRate('15%')).toThrow(/between 0 and 10 %/);
    expect(parseBps('5bps')).toBe(5);
    expect(parseBps('0.05%')).toBeCloseTo(5, 12);
    expect(parseBps('7')).toBe(7);
    expect(parseBacktestSizing('kelly')).toEqual({ kind: 'kelly-auto' });
    expect(parseBacktestSizing('kelly:0.5')).toEqual({ kind: 'kelly', fraction: 0.5 });
    expect(parseBacktestSizing('fixed:250')).toEqual({ kind: 'fixed', quote: 250 });
    expect(() => parseBacktestSizing('kelly:2')).toThrow(/kelly fraction/);
  });
});
