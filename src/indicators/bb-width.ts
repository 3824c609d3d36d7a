import { RollingMoments, rollingMoments, rollingMomentsRange } from './rolling-moments.ts';
import type { SeriesStream } from './stream.ts';
import { checkFinite, checkPeriod } from './validate.ts';

/**
 * Bollinger band width: (upper − lower) / middle for {@link bollinger}(close, n, k), i.e. a
 * volatility measure relative to price. First value at index n−1; NaN where the middle band is
 * exactly 0 (the ratio is undefined; an Infinity would poison downstream comparisons). A NaN input
 * restarts the warm-up.
 */
export function bbWidth(close: Float64Array, n: number, k: number): Float64Array<ArrayBuffer> {
  checkPeriod('bbWidth', 'n', n);
  checkFinite('bbWidth', 'k', k);
  const len = close.length;
  const out = new Float64Array(len);
  const mean = new Float64Array(len);
  rollingMoments(close, n, mean, out);
  for (let i = 0; i < len; i++) out[i] = widthOf(mean[i]!, out[i]!, k);
  return out;
}

/**
 * {@link bbWidth} for rows `[from, to)` only (range form), bit-identical; `close` is the whole series,
 * `state` from `newWindowState()`, row i goes to `out[i − base]`, `mean` and `sd` are scratch of at
 * least `to − from` values. `n` and `k` are assumed validated.
 */
export function bbWidthRange(close: Float64Array, n: number, k: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number, mean: Float64Array, sd: Float64Array): void {
  rollingMomentsRange(close, 0, n, from, to, state, mean, sd, from);
  for (let i = from; i < to; i++) out[i - base] = widthOf(mean[i - from]!, sd[i - from]!, k);
}

// Same expressions as bollinger(): the width is computed from the very bands bollinger() returns.
function widthOf(m: number, s: number, k: number): number {
  if (m === 0) return Number.NaN;
  return (m + k * s - (m - k * s)) / m;
}

/** Streaming band width, bit-identical to {@link bbWidth}. */
export function createBbWidthStream(n: number, k: number): SeriesStream {
  checkPeriod('bbWidth', 'n', n);
  checkFinite('bbWidth', 'k', k);
  return new BbWidthStream(n, k);
}

class BbWidthStream implements SeriesStream {
  value = Number.NaN;
  private readonly m: RollingMoments;
  private readonly k: number;
  constructor(n: number, k: number) {
    this.m = new RollingMoments(n, true);
    this.k = k;
  }
  next(close: number): number {
    this.value = this.m.push(close) ? widthOf(this.m.mean, this.m.std, this.k) : Number.NaN;
    return this.value;
  }
  reset(): void {
    this.m.reset();
    this.value = Number.NaN;
  }
}
