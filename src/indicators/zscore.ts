import { RollingMoments, rollingMoments, rollingMomentsRange } from './rolling-moments.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rolling z-score: (x − SMA(n)) / population stdev(n), the window including the current value.
 * First value at index n−1. A flat window (stdev exactly 0, so x equals its mean) gives 0, not
 * NaN: illiquid minute bars are often flat and a hole there would look like missing data.
 * A NaN input restarts the warm-up.
 */
export function zscore(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('zscore', 'n', n);
  const len = x.length;
  const out = new Float64Array(len);
  const mean = new Float64Array(len);
  rollingMoments(x, n, mean, out);
  for (let i = 0; i < len; i++) out[i] = zOf(x[i]!, mean[i]!, out[i]!);
  return out;
}

/**
 * {@link zscore} for rows `[from, to)` only (range form, see docs/indicators.md), bit-identical: row j
 * of `x` is `x[j − xBase]` and `x` holds the `n` rows before `from`; `state` from `newWindowState()`;
 * row i goes to `out[i − base]`; `mean` and `sd` are scratch of at least `to − from` values. `n` is
 * assumed validated.
 */
export function zscoreRange(x: Float64Array, xBase: number, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number, mean: Float64Array, sd: Float64Array): void {
  rollingMomentsRange(x, xBase, n, from, to, state, mean, sd, from);
  for (let i = from; i < to; i++) out[i - base] = zOf(x[i - xBase]!, mean[i - from]!, sd[i - from]!);
}

function zOf(x: number, mean: number, sd: number): number {
  if (sd > 0) return (x - mean) / sd;
  return sd === 0 ? 0 : Number.NaN;
}

/** Streaming z-score, bit-identical to {@link zscore}. */
export function createZscoreStream(n: number): SeriesStream {
  checkPeriod('zscore', 'n', n);
  return new ZscoreStream(n);
}

class ZscoreStream implements SeriesStream {
  value = Number.NaN;
  private readonly m: RollingMoments;
  constructor(n: number) {
    this.m = new RollingMoments(n, true);
  }
  next(x: number): number {
    this.value = this.m.push(x) ? zOf(x, this.m.mean, this.m.std) : Number.NaN;
    return this.value;
  }
  reset(): void {
    this.m.reset();
    this.value = Number.NaN;
  }
}
