import { describe, expect, it } from 'vitest';
import { decodeCopyBinary } from '../../../../src/adapters/db/repositories/candle-binary-load.ts';
import { encodeCopyBinary } from '../../../../src/adapters/db/repositories/candle-copy-write.ts';
import { candlesFromRows, candlesToRows } from '../../../../src/domain/candles.ts';

describe('binary COPY encoding of candle columns', () => {
  const rows = [
    { ts: -86_400_000, open: 0.1, high: 0.30000000000000004, low: 1e-300, close: 2 ** 60, volume: 0 },
    { ts: 0, open: 1 / 3, high: 1, low: 1 / 7, close: 0.5, volume: 5e-324 },
    { ts: Date.UTC(2024, 0, 1), open: 42_000.12, high: 42_100, low: 41_999.99, close: 42_050.5, volume: 12.345 },
    { ts: Number.MAX_SAFE_INTEGER, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
  ];

  it('round-trips every value bit for bit (negative and huge open times, awkward doubles)', () => {
    const c = candlesFromRows(rows);
    expect(candlesToRows(decodeCopyBinary(encodeCopyBinary(c, 0, c.length)))).toEqual(rows);
  });

  it('encodes a window: header, only rows [start, end), trailer', () => {
    const c = candlesFromRows(rows);
    const bytes = encodeCopyBinary(c, 1, 3);
    expect(Buffer.from(bytes.subarray(0, 11)).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(bytes.length).toBe(19 + 2 * 74 + 2);
    expect(bytes.at(-2)).toBe(0xff);
    expect(bytes.at(-1)).toBe(0xff);
    expect(candlesToRows(decodeCopyBinary(bytes))).toEqual(rows.slice(1, 3));
  });
});
