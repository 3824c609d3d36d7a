import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { cumulativeVolumeDelta, rollingCvd } from '../../../src/domain/order-flow.ts';

// (open, close, volume) → delta by hand: up +v, down −v, doji 0.
const candles = candlesFromRows(
  [
    [10, 11, 5], // +5
    [11, 10, 3], // −3
    [10, 10, 7], // 0 (doji)
    [10, 12, 2], // +2
    [12, 11.5, 4], // −4
  ].map(([open, close, volume], i) => ({ ts: i * 60_000, open: open!, close: close!, high: Math.max(open!, close!), low: Math.min(open!, close!), volume: volume! })),
);

describe('cumulative volume delta', () => {
  it('signs each candle volume by its direction and sums it', () => {
    const { delta, cvd } = cumulativeVolumeDelta(candles);
    expect(Array.from(delta)).toEqual([5, -3, 0, 2, -4]);
    expect(Object.is(delta[2], 0)).toBe(true); // doji is +0, not -0
    expect(Array.from(cvd)).toEqual([5, 2, 2, 4, 0]);
  });

  it('rolling CVD sums the last N deltas, NaN during warm-up', () => {
    expect(Array.from(rollingCvd(candles, 2))).toEqual([NaN, 2, -3, 2, -2]);
    expect(Array.from(rollingCvd(candles, 3))).toEqual([NaN, NaN, 2, -1, -2]);
    expect(Array.from(rollingCvd(candles, 1))).toEqual([5, -3, 0, 2, -4]);
    expect(Array.from(rollingCvd(candles, 5))).toEqual([NaN, NaN, NaN, NaN, 0]);
    expect(Array.from(rollingCvd(candles, 9))).toEqual([NaN, NaN, NaN, NaN, NaN]);
  });

  it('refuses a window that is not a whole number ≥ 1', () => {
    expect(() => rollingCvd(candles, 0)).toThrow(/window/);
    expect(() => rollingCvd(candles, 2.5)).toThrow(/window/);
  });

  it('handles no candles', () => {
    const empty = candlesFromRows([]);
    expect(cumulativeVolumeDelta(empty).cvd.length).toBe(0);
    expect(rollingCvd(empty, 3).length).toBe(0);
  });
});
