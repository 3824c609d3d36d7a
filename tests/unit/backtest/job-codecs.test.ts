import { describe, expect, it } from 'vitest';
import { datasetId, decodeCandles, encodeCandles } from '../../../src/backtest/jobs/dataset-codec.ts';
import { fromJsonSafe, toJsonSafe } from '../../../src/backtest/jobs/json-numbers.ts';
import { candlesFromRows } from '../../../src/domain/candles.ts';

describe('job data through JSON', () => {
  it('keeps Infinity, -Infinity and NaN (a profit factor with no losing trade) exactly', () => {
    const value = { params: { fast: 5 }, metrics: { profitFactor: Infinity, sortino: -Infinity, sqn: NaN, returnPct: 1.25, list: [1, Infinity] }, error: undefined };
    const back = fromJsonSafe<typeof value>(JSON.parse(JSON.stringify(toJsonSafe(value))));
    expect(back.metrics.profitFactor).toBe(Infinity);
    expect(back.metrics.sortino).toBe(-Infinity);
    expect(Number.isNaN(back.metrics.sqn)).toBe(true);
    expect(back.metrics.list).toEqual([1, Infinity]);
    expect(back.params).toEqual({ fast: 5 });
    expect('error' in back).toBe(false);
  });
});

describe('candle datasets as bytes', () => {
  const c = candlesFromRows([
    { ts: 1, open: 1.1, high: 2.2, low: 0.3, close: 1.7, volume: 10 },
    { ts: 2, open: 1.7, high: 1.9, low: 1.1, close: 1.2, volume: 0.000001 },
  ]);
  it('round-trips every column bit for bit, and the id is the content hash', () => {
    const bytes = encodeCandles(c);
    expect(bytes.byteLength).toBe(2 * 6 * 8);
    const back = decodeCandles(bytes);
    expect(back.length).toBe(2);
    for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...back[f]]).toEqual([...c[f].subarray(0, 2)]);
    expect(datasetId(bytes)).toBe(datasetId(encodeCandles(c)));
    expect(datasetId(bytes)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(datasetId(bytes)).not.toBe(datasetId(encodeCandles(candlesFromRows([{ ts: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 }]))));
  });
  it('refuses bytes that are not whole candles', () => {
    expect(() => decodeCandles(new Uint8Array(47))).toThrow(/not whole candles/);
  });
});
