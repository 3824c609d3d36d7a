import { LaggedChangeStream, laggedChange } from './lagged-change.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rate of change as TA-Lib ROC, in percent: ((x[i] / x[i−n]) − 1) × 100; first value at index n;
 * 0 where x[i−n] is exactly 0 (TA-Lib's convention). A NaN input restarts the warm-up.
 */
export function roc(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('roc', 'n', n);
  return laggedChange(x, n, true);
}

/** Streaming rate of change, bit-identical to {@link roc}. */
export function createRocStream(n: number): SeriesStream {
  checkPeriod('roc', 'n', n);
  return new LaggedChangeStream(n, true);
}
