import { ExtremeStream } from './highest.ts';
import { rollingExtreme } from './rolling-extreme.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rolling minimum of the last `n` values (TA-Lib MIN): first value at index n−1. A NaN input
 * restarts the warm-up. O(len) whatever `n` (see rolling-extreme.ts); the stream uses a monotonic
 * deque and returns the very same values.
 */
export function lowest(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('lowest', 'n', n);
  return rollingExtreme(x, n, false);
}

/** Streaming rolling minimum, bit-identical to {@link lowest}. */
export function createLowestStream(n: number): SeriesStream {
  checkPeriod('lowest', 'n', n);
  return new ExtremeStream(n, false);
}
