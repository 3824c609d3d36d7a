import { RollingMoments, rollingMoments } from './rolling-moments.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Simple moving average of the last `n` values (TA-Lib SMA): first value at index n−1.
 * A NaN input restarts the warm-up: NaN until `n` clean values follow it.
 * Precision: shifted rolling sum with an exact recompute every `n` bars (see rolling-moments.ts).
 */
export function sma(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('sma', 'n', n);
  const out = new Float64Array(x.length);
  rollingMoments(x, n, out, null);
  return out;
}

/** Streaming SMA: `next(x)` returns what {@link sma} returns at that bar. */
export function createSmaStream(n: number): SeriesStream {
  checkPeriod('sma', 'n', n);
  return new SmaStream(n);
}

class SmaStream implements SeriesStream {
  value = Number.NaN;
  private readonly m: RollingMoments;
  constructor(n: number) {
    this.m = new RollingMoments(n, false);
  }
  next(x: number): number {
    this.value = this.m.push(x) ? this.m.mean : Number.NaN;
    return this.value;
  }
  reset(): void {
    this.m.reset();
    this.value = Number.NaN;
  }
}
