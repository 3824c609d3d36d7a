import { ExtremeStream } from './highest.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rolling minimum of the last `n` values (TA-Lib MIN): first value at index n−1; O(len) with a
 * monotonic deque (see highest.ts). A NaN input restarts the warm-up.
 */
export function lowest(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('lowest', 'n', n);
  const len = x.length;
  const out = new Float64Array(len);
  const dq = new Int32Array(n); // ring buffer of indices, values strictly increasing front to back
  let head = 0;
  let size = 0;
  let seg = 0;
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    if (v !== v) {
      seg = 0;
      size = 0;
      out[i] = Number.NaN;
      continue;
    }
    seg++;
    if (size > 0 && dq[head]! <= i - n) {
      head = head + 1 === n ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      let back = head + size - 1;
      if (back >= n) back -= n;
      if (x[dq[back]!]! < v) break;
      size--;
    }
    let tail = head + size;
    if (tail >= n) tail -= n;
    dq[tail] = i;
    size++;
    out[i] = seg >= n ? x[dq[head]!]! : Number.NaN;
  }
  return out;
}

/** Streaming rolling minimum, bit-identical to {@link lowest}. */
export function createLowestStream(n: number): SeriesStream {
  checkPeriod('lowest', 'n', n);
  return new ExtremeStream(n, false);
}
