import { rollingExtreme } from './rolling-extreme.ts';
import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Rolling maximum of the last `n` values (TA-Lib MAX): first value at index n−1. A NaN input
 * restarts the warm-up. O(len) whatever `n` (see rolling-extreme.ts); the stream uses a monotonic
 * deque and returns the very same values.
 */
export function highest(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('highest', 'n', n);
  return rollingExtreme(x, n, true);
}

/** Streaming rolling maximum, bit-identical to {@link highest}. */
export function createHighestStream(n: number): SeriesStream {
  checkPeriod('highest', 'n', n);
  return new ExtremeStream(n, true);
}

/**
 * Streaming rolling max/min with a monotonic deque: values and their sequence numbers in two ring
 * buffers of capacity n; each value enters and leaves the deque at most once, so a tick costs O(1)
 * amortised. Shared by the highest and lowest streams.
 */
export class ExtremeStream implements SeriesStream {
  value = Number.NaN;
  private readonly n: number;
  private readonly isMax: boolean;
  private readonly vals: Float64Array;
  private readonly seqs: Float64Array;
  private head = 0;
  private size = 0;
  private seg = 0;

  constructor(n: number, isMax: boolean) {
    this.n = n;
    this.isMax = isMax;
    this.vals = new Float64Array(n);
    this.seqs = new Float64Array(n);
  }

  next(v: number): number {
    const n = this.n;
    if (v !== v) {
      this.reset();
      return this.value;
    }
    const seq = this.seg++;
    if (this.size > 0 && this.seqs[this.head]! <= seq - n) {
      this.head = this.head + 1 === n ? 0 : this.head + 1;
      this.size--;
    }
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= n) back -= n;
      const b = this.vals[back]!;
      if (this.isMax ? b > v : b < v) break;
      this.size--;
    }
    let tail = this.head + this.size;
    if (tail >= n) tail -= n;
    this.vals[tail] = v;
    this.seqs[tail] = seq;
    this.size++;
    this.value = this.seg >= n ? this.vals[this.head]! : Number.NaN;
    return this.value;
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.seg = 0;
    this.value = Number.NaN;
  }
}
