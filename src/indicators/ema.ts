import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Exponential moving average as TA-Lib EMA (default compatibility): k = 2/(n+1); the first value,
 * at index n−1, is the SMA of the first n values (summed in order, then divided); after that
 * `ema = ((x − ema) × k) + ema`, TA-Lib's operation order. n = 1 copies the input (as TA-Lib does).
 * A NaN input restarts the warm-up: the EMA is re-seeded from the next n clean values.
 */
export function ema(x: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('ema', 'n', n);
  const len = x.length;
  const out = new Float64Array(len);
  if (n === 1) {
    out.set(x);
    return out;
  }
  const k = 2 / (n + 1);
  let seg = 0;
  let sum = 0;
  let prev = 0;
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    if (v !== v) {
      seg = 0;
      sum = 0;
      out[i] = Number.NaN;
      continue;
    }
    if (seg < n) {
      sum += v;
      seg++;
      if (seg < n) {
        out[i] = Number.NaN;
        continue;
      }
      prev = sum / n;
    } else {
      prev = (v - prev) * k + prev;
    }
    out[i] = prev;
  }
  return out;
}

/** Streaming EMA, bit-identical to {@link ema}. */
export function createEmaStream(n: number): SeriesStream {
  checkPeriod('ema', 'n', n);
  return new EmaStream(n);
}

class EmaStream implements SeriesStream {
  value = Number.NaN;
  private readonly n: number;
  private readonly k: number;
  private seg = 0;
  private sum = 0;
  constructor(n: number) {
    this.n = n;
    this.k = 2 / (n + 1);
  }
  next(v: number): number {
    if (v !== v) {
      this.reset();
      return this.value;
    }
    if (this.n === 1) {
      this.value = v;
    } else if (this.seg < this.n) {
      this.sum += v;
      this.seg++;
      this.value = this.seg < this.n ? Number.NaN : this.sum / this.n;
    } else {
      this.value = (v - this.value) * this.k + this.value;
    }
    return this.value;
  }
  reset(): void {
    this.seg = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
