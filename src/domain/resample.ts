import { allocCandles, sliceCandles, type Candles } from './candles.ts';
import { AppError } from './errors.ts';
import { alignTs } from './timeframe.ts';

export interface ResampleOptions {
  /**
   * What to do with a bucket at either end of the data that the data does not cover in full:
   * `drop` (default) leaves it out, `keep` returns it (e.g. to show the candle that is still forming).
   */
  readonly partial?: 'drop' | 'keep';
}

/**
 * Aggregate ascending candles of `fromTfMs` into a higher timeframe `toTfMs` (a whole multiple),
 * buckets aligned on UTC boundaries with `alignTs` (weeks start on Monday):
 * open = first open, high = max, low = min, close = last close, volume = sum; the bucket's time is
 * its start.
 *
 * Completeness: a bucket is complete when the data covers its whole period — the series starts at
 * or before the bucket's start and its last candle closes at or after the bucket's end. Only the
 * first and last buckets can fail this; with the default `partial: 'drop'` they are left out, because
 * their open (or close) is not the real one of the period.
 * Interior buckets with holes are kept: inside the data a missing candle means nothing traded, so the
 * bucket is a real candle with fewer trades (this matches exchange-built candles). A period with no
 * candle at all yields no bucket; run fillGaps on the result if a row per period is needed.
 * O(n), two passes, no per-candle allocation.
 */
export function resample(candles: Candles, fromTfMs: number, toTfMs: number, options: ResampleOptions = {}): Candles {
  if (!Number.isInteger(fromTfMs) || fromTfMs <= 0 || !Number.isInteger(toTfMs) || toTfMs <= 0) {
    throw new AppError('BAD_REQUEST', `timeframes must be positive whole numbers of milliseconds, got ${fromTfMs} → ${toTfMs}`);
  }
  if (toTfMs % fromTfMs !== 0) {
    throw new AppError('BAD_REQUEST', `cannot resample ${fromTfMs} ms candles to ${toTfMs} ms: the target must be a whole multiple of the source`);
  }
  const partial = options.partial ?? 'drop';
  if (partial !== 'drop' && partial !== 'keep') {
    throw new AppError('BAD_REQUEST', `partial must be "drop" or "keep", got "${String(partial)}"`);
  }
  const n = candles.length;
  const ts = candles.ts;
  if (n === 0) return allocCandles(0);

  let buckets = 0;
  let current = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (i > 0 && !(ts[i]! > ts[i - 1]!)) {
      throw new AppError('BAD_REQUEST', `candles must be strictly ascending by time (rows ${i - 1} and ${i} are not)`);
    }
    const bucket = alignTs(ts[i]!, toTfMs);
    if (bucket !== current) {
      buckets++;
      current = bucket;
    }
  }

  const out = allocCandles(buckets);
  let k = -1;
  current = Number.NaN;
  for (let i = 0; i < n; i++) {
    const bucket = alignTs(ts[i]!, toTfMs);
    const high = candles.high[i]!;
    const low = candles.low[i]!;
    if (bucket !== current) {
      k++;
      current = bucket;
      out.ts[k] = bucket;
      out.open[k] = candles.open[i]!;
      out.high[k] = high;
      out.low[k] = low;
      out.volume[k] = 0;
    } else {
      if (high > out.high[k]!) out.high[k] = high;
      if (low < out.low[k]!) out.low[k] = low;
    }
    out.close[k] = candles.close[i]!;
    out.volume[k] = out.volume[k]! + candles.volume[i]!;
  }

  if (partial === 'keep') return out;
  const firstComplete = ts[0]! <= out.ts[0]!;
  const lastEnd = ts[n - 1]! + fromTfMs;
  const lastComplete = lastEnd >= out.ts[buckets - 1]! + toTfMs;
  const start = firstComplete ? 0 : 1;
  const end = lastComplete ? buckets : buckets - 1;
  if (start === 0 && end === buckets) return out;
  return copyOf(sliceCandles(out, start, Math.max(start, end)));
}

/** Own the memory of a slice, so callers never hold a view that pins the larger buffer. */
function copyOf(view: Candles): Candles {
  return {
    length: view.length,
    ts: view.ts.slice(),
    open: view.open.slice(),
    high: view.high.slice(),
    low: view.low.slice(),
    close: view.close.slice(),
    volume: view.volume.slice(),
  };
}
