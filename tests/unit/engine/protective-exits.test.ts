import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { stopOrTarget } from '../../../src/engine/protective-exits.ts';

const cur = () => ({ j: 0 });
const H = 3_600_000;

describe('stopOrTarget (the one stop-loss/take-profit check of every mode)', () => {
  it('long: stop on the low, target on the high, the stop first when a candle touches both', () => {
    expect(stopOrTarget(true, 90, 120, 100, 110, 95, undefined, 0, H, cur())).toBe(0);
    expect(stopOrTarget(true, 90, 120, 100, 110, 89, undefined, 0, H, cur())).toBe(-1);
    expect(stopOrTarget(true, 90, 120, 100, 121, 95, undefined, 0, H, cur())).toBe(1);
    expect(stopOrTarget(true, 90, 120, 100, 121, 89, undefined, 0, H, cur())).toBe(-1);
  });
  it('short: stop on the high, target on the low; unset levels (NaN) never trigger', () => {
    expect(stopOrTarget(false, 110, 80, 100, 111, 90, undefined, 0, H, cur())).toBe(-1);
    expect(stopOrTarget(false, 110, 80, 100, 100, 79, undefined, 0, H, cur())).toBe(1);
    expect(stopOrTarget(false, NaN, NaN, 100, 1e9, 0, undefined, 0, H, cur())).toBe(0);
  });
  it('a gap open beyond the target decides for the target even when the range also holds the stop', () => {
    expect(stopOrTarget(true, 90, 120, 125, 126, 85, undefined, 0, H, cur())).toBe(1);
    expect(stopOrTarget(false, 110, 80, 78, 115, 77, undefined, 0, H, cur())).toBe(1);
  });
  it('walks lower-timeframe candles to find which level came first', () => {
    const m = 60_000;
    const lower = candlesFromRows([
      { ts: 0, open: 100, high: 101, low: 99, close: 100, volume: 1 },
      { ts: m, open: 100, high: 121, low: 99, close: 118, volume: 1 },
      { ts: 2 * m, open: 118, high: 118, low: 89, close: 90, volume: 1 },
    ]);
    expect(stopOrTarget(true, 90, 120, 100, 121, 89, lower, 0, H, cur())).toBe(1);
  });
});
