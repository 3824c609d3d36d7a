import { describe, expect, it } from 'vitest';
import { kellySize, realisedVolatilityPct, tradeStats, type KellySizeInput } from '../../../src/risk/kelly-size.ts';

const base = (over: Partial<KellySizeInput>): KellySizeInput => ({
  stats: tradeStats([2, -1, 2, -1, 2, -1, 2, -1, 2, -1], 'live'), // W 0.5, R 2 → f* 0.25
  multiplier: 0.5, minTrades: 10, targetVolPct: 0, realisedVolPct: undefined, volScaleCap: 2, maxPositionPct: 25, fallbackPct: 10, equity: 10_000, price: 100,
  ...over,
});

describe('Kelly sizing', () => {
  it('f* = W − (1 − W)/R, halved, in quote and base', () => {
    const k = kellySize(base({}));
    expect(k.rawKelly).toBeCloseTo(0.25);
    expect(k.fraction).toBeCloseTo(0.125);
    expect(k.quote).toBeCloseTo(1250);
    expect(k.base).toBeCloseTo(12.5);
    expect(k.fallback).toBe(false);
  });

  it('0 win rate → size 0', () => {
    const k = kellySize(base({ stats: tradeStats(Array(12).fill(-1), 'live') }));
    expect(k.fraction).toBe(0);
    expect(k.quote).toBe(0);
    expect(k.note).toMatch(/no edge/);
  });

  it('negative edge → 0, not a short', () => {
    const k = kellySize(base({ stats: tradeStats([1, -2, 1, -2, 1, -2, 1, -2, 1, -2], 'live') }));
    expect(k.rawKelly).toBeLessThan(0);
    expect(k.fraction).toBe(0);
  });

  it('all wins → f* = W = 1, held by the MAX_POSITION_PCT cap', () => {
    const k = kellySize(base({ stats: tradeStats(Array(10).fill(1), 'live') }));
    expect(k.rawKelly).toBe(1);
    expect(k.fraction).toBe(0.25);
    expect(k.capped).toBe(true);
  });

  it('tiny samples fall back to the fixed size and say so', () => {
    const k = kellySize(base({ stats: tradeStats([5, 5, -1], 'backtest') }));
    expect(k.fallback).toBe(true);
    expect(k.fraction).toBe(0.1);
    expect(k.note).toMatch(/3 closed trade\(s\) \(backtest\) is below KELLY_MIN_TRADES 10/);
    expect(kellySize(base({ stats: tradeStats([], 'live'), fallbackPct: 40 })).fraction).toBe(0.25); // fallback capped too
  });

  it('volatility target scales, capped', () => {
    expect(kellySize(base({ targetVolPct: 30, realisedVolPct: 60 })).fraction).toBeCloseTo(0.0625);
    expect(kellySize(base({ targetVolPct: 60, realisedVolPct: 10, maxPositionPct: 100 })).volScale).toBe(2);
    expect(kellySize(base({ targetVolPct: 60, realisedVolPct: undefined })).volScale).toBe(1);
  });

  it('realised volatility of a constant-return series is 0; alternating returns give a known figure', () => {
    const c = Float64Array.from({ length: 100 }, (_, i) => 100 * 1.001 ** i);
    expect(realisedVolatilityPct(c, 86_400_000)).toBeCloseTo(0, 6);
    const alt = Float64Array.from({ length: 101 }, (_, i) => (i % 2 === 0 ? 100 : 101));
    const v = realisedVolatilityPct(alt, 86_400_000)!;
    expect(v).toBeGreaterThan(18); // |log(1.01)| ≈ 0.995 % daily → ≈ 19 % a year
    expect(v).toBeLessThan(20);
    expect(realisedVolatilityPct(new Float64Array(5), 60_000)).toBeUndefined();
  });
});
