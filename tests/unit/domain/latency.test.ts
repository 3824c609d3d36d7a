import { describe, expect, it } from 'vitest';
import { LatencyWindow, quantile } from '../../../src/domain/latency.ts';

describe('LatencyWindow', () => {
  it('summarises only the last `window` samples and ignores nonsense', () => {
    const w = new LatencyWindow(4);
    expect(w.summary()).toEqual({ count: 0 });
    for (const ms of [1000, 1000, 1, 2, 3, 4, Number.NaN, -5]) w.record(ms);
    expect(w.summary()).toEqual({ count: 4, p50Ms: 2, p99Ms: 4 });
  });

  it('nearest-rank quantiles', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(quantile([7], 0.5)).toBe(7);
    expect(() => new LatencyWindow(0)).toThrow(RangeError);
  });
});
