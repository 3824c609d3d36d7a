import { RollingMoments, rollingMoments } from './rolling-moments.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rolling population standard deviation (divide by n, as TA-Lib STDDEV with nbDev = 1 and as the
 * Bollinger bands use): first value at index n−1; a flat window gives exactly 0. A NaN input
 * restarts the warm-up. Precision: see rolling-moments.ts (no `sumSq/n − mean²` cancellation).
 */
export function stdev(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('stdev', 'n', n);
  const out = new Float64Array(x.length);
  rollingMoments(x, n, null, out);
  return out;
}

/** Streaming population standard deviation, bit-identical to {@link stdev}. */
export function createStdevStream(n: number): SeriesStream {
  checkPeriod('stdev', 'n', n);
  return new StdevStream(n);
}

class StdevStream implements SeriesStream {
  value = Number.NaN;
  private readonly m: RollingMoments;
  constructor(n: number) {
    this.m = new RollingMoments(n, true);
  }
  next(x: number): number {
    this.value = this.m.push(x) ? this.m.std : Number.NaN;
    return this.value;
  }
  reset(): void {
    this.m.reset();
    this.value = Number.NaN;
  }
}
