import type { Candles } from './candles.ts';
import { resample, type ResampleOptions } from './resample.ts';

/**
 * A base series (e.g. 1m) seen together with a higher timeframe (e.g. 1h) built from it, without
 * look-ahead: at base candle i a strategy may only use higher-timeframe candles that have closed by
 * the time base candle i closes.
 *
 * Why "closed by the close of i": a strategy acts on candle i once it has closed. The 10:00 1h candle
 * closes at 11:00, so it becomes visible at the 10:59 1m candle (which closes at 11:00), never at
 * 10:00–10:58 — reading it earlier would leak the hour's close into the past. (freqtrade's
 * `merge_informative_pair` shifts the informative date by one period for the same reason.)
 */
export interface MultiTimeframeView {
  readonly base: Candles;
  readonly baseTfMs: number;
  /** The higher-timeframe candles, complete buckets only by default (see resample). */
  readonly htf: Candles;
  readonly htfTfMs: number;
  /** Per base candle: index into `htf` of the last candle closed by the base candle's close, or -1. */
  readonly htfIndex: Int32Array;
  /** Same as `htfIndex[i]`, range-checked. */
  htfIndexAt(i: number): number;
}

/**
 * Build the higher timeframe from `base` (see {@link resample}; `options.partial` is passed on,
 * default `drop`) and the closed-candle index map. O(n + m) with two pointers.
 */
export function buildMultiTimeframe(base: Candles, baseTfMs: number, htfTfMs: number, options: ResampleOptions = {}): MultiTimeframeView {
  const htf = resample(base, baseTfMs, htfTfMs, options);
  const n = base.length;
  const m = htf.length;
  const htfIndex = new Int32Array(n);
  let j = -1;
  for (let i = 0; i < n; i++) {
    const baseClose = base.ts[i]! + baseTfMs;
    while (j + 1 < m && htf.ts[j + 1]! + htfTfMs <= baseClose) j++;
    htfIndex[i] = j;
  }
  return {
    base,
    baseTfMs,
    htf,
    htfTfMs,
    htfIndex,
    htfIndexAt(i: number): number {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`base index ${i} is outside 0..${n - 1}`);
      return htfIndex[i]!;
    },
  };
}

/**
 * Spread a per-higher-timeframe series (an indicator computed on `view.htf`, same length) onto the
 * base rows: row i gets the value of the last closed higher-timeframe candle, NaN before the first.
 * Lets a 1m strategy read "the 1h RSI as it was known then" as a plain column.
 */
export function projectToBase(values: ArrayLike<number>, view: MultiTimeframeView): Float64Array {
  if (values.length !== view.htf.length) {
    throw new RangeError(`expected ${view.htf.length} higher-timeframe values, got ${values.length}`);
  }
  const out = new Float64Array(view.htfIndex.length);
  for (let i = 0; i < out.length; i++) {
    const j = view.htfIndex[i]!;
    out[i] = j >= 0 ? values[j]! : Number.NaN;
  }
  return out;
}
