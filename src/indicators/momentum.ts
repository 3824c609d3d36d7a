import { LaggedChangeStream, laggedChange } from './lagged-change.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Momentum as TA-Lib MOM: x[i] − x[i−n]; first value at index n. A NaN input restarts the warm-up
 * (NaN until n + 1 clean values, so both ends of the difference are clean).
 */
export function momentum(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('momentum', 'n', n);
  return laggedChange(x, n, false);
}

/** Streaming momentum, bit-identical to {@link momentum}. */
export function createMomentumStream(n: number): SeriesStream {
  checkPeriod('momentum', 'n', n);
  return new LaggedChangeStream(n, false);
}
