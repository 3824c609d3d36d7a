import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { inferStepMs } from '../../../src/domain/candle-gaps.ts';

const M = 60_000;
const at = (...minutes: number[]) => candlesFromRows(minutes.map((m) => ({ ts: m * M, open: 1, high: 1, low: 1, close: 1, volume: 1 })));

describe('inferStepMs on series that are not clean', () => {
  it('takes the smallest step wherever it is, not the last one', () => {
    expect(inferStepMs(at(0, 1, 3))).toBe(M);
    expect(inferStepMs(at(0, 2, 3, 7))).toBe(M);
  });

  it('ignores repeated times and steps backwards (an unsorted or duplicated series)', () => {
    expect(inferStepMs(at(0, 0, 2, 4))).toBe(2 * M);
    expect(inferStepMs(at(4, 2, 6))).toBe(4 * M);
    expect(inferStepMs(at(3, 3))).toBeUndefined();
    expect(inferStepMs(at())).toBeUndefined();
  });
});
