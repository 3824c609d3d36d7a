import { describe, expect, it } from 'vitest';
import { KellyEstimator, kellyFraction } from '../../../src/risk/kelly.ts';

describe('Kelly fraction and the running estimator', () => {
  it('no payoff (R ≤ 0) is no bet rather than a division by zero', () => {
    expect(kellyFraction(0.6, 0)).toBe(0);
    expect(kellyFraction(0.6, -1)).toBe(0);
    expect(kellyFraction(0.6, 0.5)).toBeCloseTo(-0.2, 12);
  });

  it('break-even trades are neither wins nor losses and do not count as trades', () => {
    const k = new KellyEstimator({ minTrades: 2 });
    k.add(0);
    expect(k.trades).toBe(0);
    k.add(3);
    k.add(0);
    k.add(-2);
    expect(k.trades).toBe(2);
    // W = 0.5, R = 3 / 2 = 1.5 → f* = 0.5 − 0.5 / 1.5 = 1/6
    expect(k.estimate()).toBeCloseTo(1 / 6, 12);
  });

  it('no estimate without at least one win and one loss; the warm-up fraction stands in for it', () => {
    const wins = new KellyEstimator({ minTrades: 2, warmupFraction: 0.05 });
    wins.add(1);
    wins.add(2);
    expect(wins.estimate()).toBeUndefined();
    expect(wins.fraction()).toBe(0.05);
    const losses = new KellyEstimator({ minTrades: 2 });
    losses.add(-1);
    losses.add(-2);
    expect(losses.estimate()).toBeUndefined();
    expect(losses.fraction()).toBe(0.1);
  });

  it('below the minimum trade count the warm-up fraction is used even when an estimate exists', () => {
    const k = new KellyEstimator({ minTrades: 3, warmupFraction: 0.05 });
    k.add(3);
    k.add(-1);
    expect(k.estimate()).toBeCloseTo(1 / 3, 12);
    expect(k.fraction()).toBe(0.05);
    k.add(-1); // W 1/3, R 3 → 1/3 − (2/3)/3 = 1/9
    expect(k.fraction()).toBeCloseTo(1 / 9, 12);
  });

  it('the multiplier scales the estimate (half-Kelly), the cap bounds it', () => {
    const half = new KellyEstimator({ minTrades: 2, multiplier: 0.5 });
    half.add(3);
    half.add(-1); // W 0.5, R 3 → 1/3
    expect(half.fraction()).toBeCloseTo(1 / 6, 12);
    const capped = new KellyEstimator({ minTrades: 2, cap: 0.2 });
    capped.add(3);
    capped.add(-1);
    expect(capped.fraction()).toBe(0.2);
  });
});
