import { describe, expect, it } from 'vitest';
import { kellySize, realisedVolatilityPct, recentTradeStats, tradeStats, type KellySizeInput } from '../../../src/risk/kelly-size.ts';

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

describe('trade stats: W and R from P&Ls', () => {
  it('a break-even trade counts toward the total but is neither a win nor a loss', () => {
    expect(tradeStats([0, 2, -1], 'live')).toEqual({ source: 'live', trades: 3, winRate: 1 / 3, payoff: 2 });
  });

  it('no win: R = 0; no loss: R = ∞; no trade at all: source none, W = 0', () => {
    expect(tradeStats([-1, -2], 'backtest')).toEqual({ source: 'backtest', trades: 2, winRate: 0, payoff: 0 });
    expect(tradeStats([1, 3], 'live')).toEqual({ source: 'live', trades: 2, winRate: 1, payoff: Infinity });
    expect(tradeStats([], 'live')).toEqual({ source: 'none', trades: 0, winRate: 0, payoff: 0 });
  });

  it('recent stats take only the last `lookback` P&Ls', () => {
    const pnls = [-5, -5, 1, 1, -1];
    expect(recentTradeStats(pnls, 3, 'live')).toEqual(tradeStats([1, 1, -1], 'live'));
    expect(recentTradeStats(pnls, 5, 'live')).toEqual(tradeStats(pnls, 'live'));
    expect(recentTradeStats(pnls, 50, 'live')).toEqual(tradeStats(pnls, 'live'));
  });
});

describe('Kelly sizing: edges and what /size shows', () => {
  const even = tradeStats([1, -1, 1, -1, 1, -1, 1, -1, 1, -1], 'live'); // W 0.5, R 1 → f* exactly 0

  it('f* exactly 0 is no edge: size 0, neither fallback nor capped', () => {
    expect(kellySize(base({ stats: even }))).toEqual({ rawKelly: 0, volScale: 1, fraction: 0, quote: 0, base: 0, fallback: false, capped: false, note: 'f* ≤ 0: the trades show no edge, so the size is 0' });
  });

  it('no winning trade: f* is −∞', () => {
    expect(kellySize(base({ stats: tradeStats(Array(12).fill(-1), 'live') })).rawKelly).toBe(-Infinity);
  });

  it('the note names the multiplier and the volatility scale; a size exactly at the cap is not "capped"', () => {
    expect(kellySize(base({})).note).toBe('f* × 0.5 × volatility scale 1.00');
    const atCap = kellySize(base({ multiplier: 1 })); // 0.25 × 1 × 1 = MAX_POSITION_PCT 25 %
    expect(atCap).toMatchObject({ fraction: 0.25, capped: false, note: 'f* × 1 × volatility scale 1.00' });
    const over = kellySize(base({ multiplier: 1, maxPositionPct: 20 }));
    expect(over).toMatchObject({ fraction: 0.2, capped: true, note: 'capped at MAX_POSITION_PCT 20%' });
  });

  it('no volatility scaling without a target (0) or with an unknown or zero realised volatility', () => {
    expect(kellySize(base({ targetVolPct: 0, realisedVolPct: 50 })).volScale).toBe(1);
    expect(kellySize(base({ targetVolPct: 60, realisedVolPct: 0 })).volScale).toBe(1);
    expect(kellySize(base({ targetVolPct: 30, realisedVolPct: 60 })).note).toBe('f* × 0.5 × volatility scale 0.50');
  });

  it('the fixed fallback is "capped" only when MAX_POSITION_PCT cut it', () => {
    const few = tradeStats([1, -1], 'live');
    expect(kellySize(base({ stats: few, fallbackPct: 10 })).capped).toBe(false);
    expect(kellySize(base({ stats: few, fallbackPct: 25 }))).toMatchObject({ fraction: 0.25, capped: false });
    expect(kellySize(base({ stats: few, fallbackPct: 40 }))).toMatchObject({ fraction: 0.25, capped: true });
  });

  it('without a price there is a quote size but no base quantity', () => {
    expect(kellySize(base({ price: 0 }))).toMatchObject({ quote: 1250, base: 0 });
  });
});

describe('realised volatility', () => {
  const DAY = 86_400_000;
  const closesFrom = (returns: number[], start = 100) => {
    const out = [start];
    for (const r of returns) out.push(out[out.length - 1]! * Math.exp(r));
    return out;
  };
  /** Sample standard deviation (two passes), annualised over 365 daily periods, in %. */
  const annualisedPct = (returns: number[]) => {
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
    return Math.sqrt(variance * 365) * 100;
  };
  const returns = [0.01, 0.03, -0.02, 0.05, 0, 0.02, -0.01, 0.04, 0.01, 0.02];

  it('is the sample standard deviation of log returns, annualised', () => {
    expect(realisedVolatilityPct(closesFrom(returns), DAY)).toBeCloseTo(annualisedPct(returns), 9);
  });

  it('needs 10 returns: 11 closes give a figure, 10 do not', () => {
    expect(realisedVolatilityPct(closesFrom(returns), DAY)).toBeDefined();
    expect(realisedVolatilityPct(closesFrom(returns.slice(1)), DAY)).toBeUndefined();
  });

  it('looks back only `lookback` returns', () => {
    const closes = closesFrom([0.3, -0.4, 0.5, ...returns]);
    expect(realisedVolatilityPct(closes, DAY, 10)).toBeCloseTo(annualisedPct(returns), 9);
  });

  it('skips returns touching a close that is not positive, and needs 10 usable ones', () => {
    expect(realisedVolatilityPct([0, ...closesFrom(returns)], DAY)).toBeCloseTo(annualisedPct(returns), 9);
    expect(realisedVolatilityPct([...closesFrom(returns), 0], DAY)).toBeCloseTo(annualisedPct(returns), 9);
    const holed = closesFrom([...returns, 0.01]);
    holed[5] = -1; // two returns lost: 9 usable of 11
    expect(realisedVolatilityPct(holed, DAY)).toBeUndefined();
  });
});
