import type { SeriesStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/**
 * Relative strength index as TA-Lib RSI (default compatibility, no unstable period): the first
 * value is at index n, from the simple means of the gains and losses of the first n changes; after
 * that Wilder's smoothing `avg = (avg × (n−1) + change) / n`, in TA-Lib's operation order.
 * RSI = 100 × avgGain / (avgGain + avgLoss).
 *
 * Flat window (avgGain + avgLoss == 0): 0, as TA-Lib — beware, this reads as "oversold". Unlike
 * TA-Lib we test for an exact zero rather than |v| < 1e-14 (1e-8 in TA-Lib 0.4), so assets priced
 * around 1e-8 (satoshi-denominated pairs) are not flattened to 0.
 * A NaN input restarts the warm-up: the next clean value is the new first price, so the next RSI
 * comes n + 1 values after the NaN.
 *
 * Speed: TA-Lib's `if (d < 0) loss -= d; else gain += d` mispredicts on about half the bars of a
 * random walk (~30 % of this kernel's time). We split the change without a branch instead:
 * up = (|d| + d)/2, down = (|d| − d)/2 are exact (a doubling and a halving), and the side that
 * gets +0 is unchanged, so every value is bit-identical to the branchy form.
 */
export function rsi(close: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('rsi', 'n', n);
  const len = close.length;
  const out = new Float64Array(len);
  const nm1 = n - 1;
  let seg = 0; // clean values seen in this segment before the current one (capped at n + 1)
  let prev = 0;
  let gain = 0;
  let loss = 0;
  for (let i = 0; i < len; i++) {
    const v = close[i]!;
    if (v !== v) {
      seg = 0;
      out[i] = Number.NaN;
      continue;
    }
    if (seg === 0) {
      prev = v;
      gain = 0;
      loss = 0;
      seg = 1;
      out[i] = Number.NaN;
      continue;
    }
    const d = v - prev;
    prev = v;
    const a = Math.abs(d);
    const up = (a + d) * 0.5;
    const down = (a - d) * 0.5;
    if (seg < n) {
      loss += down;
      gain += up;
      seg++;
      out[i] = Number.NaN;
      continue;
    }
    if (seg === n) {
      loss += down;
      gain += up;
      loss /= n;
      gain /= n;
      seg++;
    } else {
      loss *= nm1;
      gain *= nm1;
      loss += down;
      gain += up;
      loss /= n;
      gain /= n;
    }
    const t = gain + loss;
    out[i] = t !== 0 ? 100 * (gain / t) : 0;
  }
  return out;
}

/** Streaming RSI, bit-identical to {@link rsi}. */
export function createRsiStream(n: number): SeriesStream {
  checkPeriod('rsi', 'n', n);
  return new RsiStream(n);
}

class RsiStream implements SeriesStream {
  value = Number.NaN;
  private readonly n: number;
  private seg = 0;
  private prev = 0;
  private gain = 0;
  private loss = 0;
  constructor(n: number) {
    this.n = n;
  }
  next(v: number): number {
    const n = this.n;
    if (v !== v) {
      this.reset();
      return this.value;
    }
    if (this.seg === 0) {
      this.prev = v;
      this.gain = 0;
      this.loss = 0;
      this.seg = 1;
      return this.value;
    }
    const d = v - this.prev;
    this.prev = v;
    const a = Math.abs(d);
    const up = (a + d) * 0.5;
    const down = (a - d) * 0.5;
    let gain = this.gain;
    let loss = this.loss;
    if (this.seg < n) {
      loss += down;
      gain += up;
      this.gain = gain;
      this.loss = loss;
      this.seg++;
      return this.value;
    }
    if (this.seg === n) {
      loss += down;
      gain += up;
      loss /= n;
      gain /= n;
      this.seg++;
    } else {
      loss *= n - 1;
      gain *= n - 1;
      loss += down;
      gain += up;
      loss /= n;
      gain /= n;
    }
    this.gain = gain;
    this.loss = loss;
    const t = gain + loss;
    this.value = t !== 0 ? 100 * (gain / t) : 0;
    return this.value;
  }
  reset(): void {
    this.seg = 0;
    this.prev = 0;
    this.gain = 0;
    this.loss = 0;
    this.value = Number.NaN;
  }
}
