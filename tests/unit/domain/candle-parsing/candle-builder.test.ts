import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { CandleBuilder } from '../../../../src/domain/candle-parsing/candle-builder.ts';
import { RowSources } from '../../../../src/domain/candle-parsing/row-sources.ts';
import { parseCsvCandles } from '../../../../src/domain/candle-parsing/csv-candles.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

const T = Date.UTC(2024, 0, 1);
const MIN = 60_000;
type Row = [ts: number, open: number, high: number, low: number, close: number, volume: number];

/** A builder fed `rows` (row i is "row i+1"), finished. */
function build(rows: readonly Row[], capacity?: number) {
  const b = new CandleBuilder('f.csv', (w) => `row ${w}`, capacity);
  rows.forEach((r, i) => b.push(Float64Array.from(r), i + 1));
  return b.finish();
}

describe('CandleBuilder: what a valid candle may look like', () => {
  it('accepts a flat candle (open = high = low = close) and zero volume, as a quiet minute has', () => {
    const parsed = build([[T, 5, 5, 5, 5, 0]]);
    expect(candlesToRows(parsed.candles)).toEqual([{ ts: T, open: 5, high: 5, low: 5, close: 5, volume: 0 }]);
  });

  it('accepts high equal to the open or the close and low equal to the open or the close', () => {
    const rows: Row[] = [
      [T, 2, 2, 1, 1.5, 1], // high = open
      [T + MIN, 1, 2, 1, 2, 1], // high = close, low = open
      [T + 2 * MIN, 2, 3, 1, 1, 1], // low = close
    ];
    expect(build(rows).candles.length).toBe(3);
  });

  it('names the first price that is not positive, in the order open, high, low, close', () => {
    const refusal = (row: Row) => expectRefusal(() => build([row])).message;
    expect(refusal([T, 1, -2, 0.5, 1, 1])).toBe('f.csv row 1: high -2 is not a positive price');
    expect(refusal([T, 1, 2, 0, 1, 1])).toBe('f.csv row 1: low 0 is not a positive price');
    expect(refusal([T, 1, 2, 0.5, -1, 1])).toBe('f.csv row 1: close -1 is not a positive price');
    expect(refusal([T, 0, 0, 0.5, -1, 1])).toBe('f.csv row 1: open 0 is not a positive price');
    // zero, not only below it: a high or close of 0 is refused as a price, not as breaking the OHLC order
    expect(refusal([T, 1, 0, 0.5, 1, 1])).toBe('f.csv row 1: high 0 is not a positive price');
    expect(refusal([T, 1, 2, 0.5, 0, 1])).toBe('f.csv row 1: close 0 is not a positive price');
  });

  it('checks the high against the open and the close each, and the low likewise', () => {
    const refusal = (row: Row) => expectRefusal(() => build([row])).message;
    expect(refusal([T, 2.5, 2, 0.5, 1.5, 1])).toBe('f.csv row 1: high 2 is below max(open 2.5, close 1.5)');
    expect(refusal([T, 1.5, 2, 1.2, 1, 1])).toBe('f.csv row 1: low 1.2 is above min(open 1.5, close 1)');
  });
});

describe('CandleBuilder: rows with the same time', () => {
  const first: Row = [T, 10, 12, 9, 11, 100];

  it('drops an identical row, and one straight after its twin does not count as out of order', () => {
    const parsed = build([first, [...first], [T + MIN, 11, 12, 10, 11.5, 50]]);
    expect(parsed.candles.length).toBe(2);
    expect(parsed.stats).toEqual({ rowsRead: 3, duplicatesDropped: 1, reordered: false });
  });

  it('keeps the right rows when an identical row is dropped from the middle of an ordered series', () => {
    const next: Row = [T + MIN, 11, 12, 10, 11.5, 50];
    const parsed = build([first, [...first], next]);
    expect(candlesToRows(parsed.candles)).toEqual([
      { ts: T, open: 10, high: 12, low: 9, close: 11, volume: 100 },
      { ts: T + MIN, open: 11, high: 12, low: 10, close: 11.5, volume: 50 },
    ]);
  });

  it('names the two rows in source order, whatever order they were added in', () => {
    const b = new CandleBuilder('f.json', (w) => `row ${w}`);
    b.push(Float64Array.from(first), 7);
    b.push(Float64Array.from([T, 10, 12, 9, 11, 101]), 3);
    expect(refusalOf(expectRefusal(() => b.finish())).where).toBe('row 3 and row 7');
  });

  it.each([
    ['open', 1],
    ['high', 2],
    ['low', 3],
    ['close', 4],
    ['volume', 5],
  ] as const)('refuses two rows at the same time that differ only in %s, naming both rows', (_field, index) => {
    const other = [...first] as Row;
    other[index] = index === 2 ? 13 : index === 3 ? 9.5 : other[index] + 0.5;
    const err = expectRefusal(() => build([first, [T + MIN, 11, 12, 10, 11.5, 50], other]));
    expect(err.message).toBe('f.csv row 1 and row 3: duplicate timestamp 2024-01-01T00:00:00.000Z with different values');
    expect(refusalOf(err)).toEqual({ reason: 'duplicate_timestamp', where: 'row 1 and row 3' });
    // Straight after its twin (the builder drops an identical one there at once): refused all the same.
    const adjacent = expectRefusal(() => build([first, other]));
    expect(refusalOf(adjacent)).toEqual({ reason: 'duplicate_timestamp', where: 'row 1 and row 2' });
  });
});

describe('CandleBuilder: storage', () => {
  /** n rows a minute apart, rising prices, in file order. */
  const series = (n: number): Row[] => Array.from({ length: n }, (_, i) => [T + i * MIN, 100 + i, 102 + i, 99 + i, 101 + i, i] as Row);

  it('keeps every row and its source line through many reallocations, even from a capacity hint of 0', () => {
    for (const capacity of [0, 1, 16, 4_096]) {
      const rows = series(300);
      const parsed = build(rows, capacity);
      expect(candlesToRows(parsed.candles), `capacity ${capacity}`).toEqual(
        rows.map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume })),
      );
      // A differing twin of the 250th row, after 300 rows: both lines still named correctly.
      const twin = [...rows[249]!] as Row;
      twin[5] = 1;
      const err = expectRefusal(() => build([...rows, twin], capacity));
      expect(refusalOf(err).where, `capacity ${capacity}`).toBe('row 250 and row 301');
    }
  });

  it('returns columns of exactly the rows kept, without the spare capacity of the growing arrays', () => {
    const inOrder = build(series(20), 4_096).candles;
    const dropped = build([...series(20), series(20)[19]!], 4_096).candles;
    const sorted = build([...series(20)].reverse(), 4_096).candles;
    for (const candles of [inOrder, dropped, sorted]) {
      for (const col of [candles.ts, candles.open, candles.high, candles.low, candles.close, candles.volume]) {
        expect(col.length).toBe(20);
        expect(col.buffer.byteLength).toBe(20 * 8);
      }
    }
    expect(Array.from(sorted.ts)).toEqual(Array.from(inOrder.ts));
    expect(Array.from(sorted.volume)).toEqual(Array.from(inOrder.volume));
  });

  it('rows in order with a small spare (the file reader reserves ~1 % more): the columns are views of the reserved buffers, not copies', () => {
    const rows = series(1_000);
    const candles = build(rows, 1_010).candles;
    for (const col of [candles.ts, candles.open, candles.high, candles.low, candles.close, candles.volume]) {
      expect(col.length).toBe(1_000);
      expect(col.buffer.byteLength).toBe(1_010 * 8);
    }
    expect(candlesToRows(candles)).toEqual(rows.map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume })));
  });

  it('names the right source rows after sorting when the sources have gaps (a header, blank lines, a dropped twin)', () => {
    const b = new CandleBuilder('f.csv', (w) => `line ${w}`);
    const rows = series(6);
    const at = [2, 3, 5, 7, 9, 10];
    rows.forEach((r, i) => {
      b.push(Float64Array.from(r), at[i]!);
      if (i === 2) b.push(Float64Array.from(r), 6); // an identical twin straight after: dropped as it comes
    });
    const late = [...rows[3]!] as Row;
    late[5] = 0.5;
    b.push(Float64Array.from(late), 12); // out of order, differs from line 7
    expect(refusalOf(expectRefusal(() => b.finish())).where).toBe('line 7 and line 12');
  });

  it('keeps the sources of a file read in order as one run per gap, not one number per row', () => {
    const w = new RowSources();
    for (let i = 0; i < 100_000; i++) w.add(i + 2 + (i >= 50_000 ? 1 : 0)); // line 1 the header; a blank line in the middle
    expect(w.runs).toBe(2);
    expect([w.of(0), w.of(49_999), w.of(50_000), w.of(99_999)]).toEqual([2, 50_001, 50_003, 100_002]);
    expect(() => w.of(100_000)).toThrow(new RangeError('no row 100000 (100000 rows)'));
    expect(() => w.of(-1)).toThrow(new RangeError('no row -1 (100000 rows)'));
  });

  it('an out-of-order CSV of many rows comes back sorted with each row whole', () => {
    const lines = ['time,open,high,low,close,volume'];
    for (let i = 299; i >= 0; i--) lines.push(`${T + i * MIN},${100 + i},${102 + i},${99 + i},${101 + i},${i}`);
    const parsed = parseCsvCandles(lines.join('\n'), 'rev.csv');
    expect(parsed.stats).toEqual({ rowsRead: 300, duplicatesDropped: 0, reordered: true });
    expect(candlesToRows(parsed.candles)).toEqual(series(300).map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume })));
  });
});
