import { describe, expect, it } from 'vitest';
import { allocCandles, candlesFromRows } from '../../../src/domain/candles.ts';
import { rangeAfterWrite } from '../../../src/market-data/range-after-write.ts';

const rows = (...ts: number[]) => candlesFromRows(ts.map((t) => ({ ts: t, open: 1, high: 1, low: 1, close: 1, volume: 1 })));

describe('the stored range after an upsert, from the range before it', () => {
  it('is the written candles for a new series', () => {
    expect(rangeAfterWrite(undefined, rows(10, 20, 30), 3)).toEqual({ first: 10, last: 30, count: 3 });
  });

  it('widens the stored range and adds only what was inserted', () => {
    const before = { first: 20, last: 40, count: 3 };
    expect(rangeAfterWrite(before, rows(10, 20, 30), 1)).toEqual({ first: 10, last: 40, count: 4 });
    expect(rangeAfterWrite(before, rows(30, 40, 50, 60), 2)).toEqual({ first: 20, last: 60, count: 5 });
    expect(rangeAfterWrite(before, rows(20, 30), 0)).toEqual(before);
  });

  it('is the range before for an empty write', () => {
    expect(rangeAfterWrite(undefined, allocCandles(0), 0)).toBeUndefined();
    expect(rangeAfterWrite({ first: 1, last: 2, count: 2 }, allocCandles(0), 0)).toEqual({ first: 1, last: 2, count: 2 });
  });
});
