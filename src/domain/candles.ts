/**
 * Candles are columnar: one Float64Array per field, `length` rows in use. Time is the candle's open
 * time in UTC epoch milliseconds. Hot paths (indicators, backtests) read these arrays directly;
 * arrays of objects exist only at the edges (parsing, rendering).
 */
export interface Candles {
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** One candle as a row: only for edges (files, exchange answers, rendering). */
export interface CandleRow {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const CANDLE_FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export function allocCandles(length: number): Candles {
  return {
    length,
    ts: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

export function emptyCandles(): Candles {
  return allocCandles(0);
}

export function candlesFromRows(rows: readonly CandleRow[]): Candles {
  const c = allocCandles(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    c.ts[i] = r.ts;
    c.open[i] = r.open;
    c.high[i] = r.high;
    c.low[i] = r.low;
    c.close[i] = r.close;
    c.volume[i] = r.volume;
  }
  return c;
}

export function candleAt(c: Candles, i: number): CandleRow {
  return { ts: c.ts[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! };
}

export function candlesToRows(c: Candles): CandleRow[] {
  const out: CandleRow[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = candleAt(c, i);
  return out;
}

/** Rows [start, end) as views on the same memory (no copy). */
export function sliceCandles(c: Candles, start: number, end = c.length): Candles {
  const s = Math.max(0, Math.min(start, c.length));
  const e = Math.max(s, Math.min(end, c.length));
  return {
    length: e - s,
    ts: c.ts.subarray(s, e),
    open: c.open.subarray(s, e),
    high: c.high.subarray(s, e),
    low: c.low.subarray(s, e),
    close: c.close.subarray(s, e),
    volume: c.volume.subarray(s, e),
  };
}

/** Concatenate two ascending series; rows of `b` at or before the last ts of `a` are dropped. */
export function appendCandles(a: Candles, b: Candles): Candles {
  const last = a.length > 0 ? a.ts[a.length - 1]! : -Infinity;
  let from = 0;
  while (from < b.length && b.ts[from]! <= last) from++;
  const n = a.length + (b.length - from);
  const out = allocCandles(n);
  for (const f of CANDLE_FIELDS) {
    out[f].set(a[f].subarray(0, a.length), 0);
    out[f].set(b[f].subarray(from, b.length), a.length);
  }
  return out;
}

/** Keep the last `n` rows (copy), for rolling windows in live trading. */
export function tailCandles(c: Candles, n: number): Candles {
  const start = Math.max(0, c.length - n);
  const view = sliceCandles(c, start);
  const out = allocCandles(view.length);
  for (const f of CANDLE_FIELDS) out[f].set(view[f]);
  return out;
}
