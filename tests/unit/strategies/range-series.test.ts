import { describe, expect, it } from 'vitest';
import { RangeSeries } from '../../../src/strategies/range-series.ts';

/** Writes row i's value (i × 10) for the range, as a strategy's kernel would. */
function fill(s: RangeSeries, from: number, to: number, total: number, keep: boolean): void {
  s.begin(from, to, total, keep);
  for (let i = from; i < to; i++) s.values[i - s.base] = i * 10;
}

describe('RangeSeries', () => {
  it('without a look-back the first range starts at base +0, a small integer (−0 made V8 index every read in doubles)', () => {
    const s = new RangeSeries();
    s.begin(0, 4, 100, false);
    expect(Object.is(s.base, 0)).toBe(true);
  });

  it('kept whole: one array over every row, base 0, handed to indicators()', () => {
    const s = new RangeSeries(1);
    fill(s, 0, 3, 8, true);
    fill(s, 3, 8, 8, true);
    expect(s.base).toBe(0);
    expect(Array.from(s.series()!)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });

  it('not kept: the current range plus the rows of the lookback before it, carried over (and grown when a range is longer)', () => {
    const s = new RangeSeries(2);
    fill(s, 0, 1, 100, false);
    expect(s.base).toBe(-2);
    expect(Number.isNaN(s.values[0]!) && Number.isNaN(s.values[1]!)).toBe(true); // no rows before row 0
    fill(s, 1, 2, 100, false);
    fill(s, 2, 9, 100, false);
    expect(s.base).toBe(0);
    for (let i = 0; i < 9; i++) expect(s.values[i - s.base]).toBe(i * 10);
    fill(s, 9, 12, 100, false);
    expect(s.base).toBe(7);
    for (let i = 7; i < 12; i++) expect(s.values[i - s.base]).toBe(i * 10);
    expect(s.values.length).toBeLessThan(100);
    expect(s.series()).toBeUndefined();
  });

  it('a new series never writes into a whole one handed out before; ranges must be consecutive', () => {
    const s = new RangeSeries();
    fill(s, 0, 4, 4, true);
    const handedOut = s.series()!;
    fill(s, 0, 2, 4, false);
    fill(s, 0, 4, 4, true);
    expect(Array.from(handedOut)).toEqual([0, 10, 20, 30]);
    expect(s.series()).not.toBe(handedOut);
    expect(() => s.begin(3, 4, 4, true)).toThrow(/consecutive/);
  });
});
