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
  const out = new Float64Array(close.length);
  rsiRange(close, n, 0, close.length, newRsiState(), out, 0);
  return out;
}

/** What {@link rsiRange} carries from one range to the next. */
const SEG = 0; // clean values in the current segment, capped at n + 1 (0: none yet)
const PREV = 1;
const GAIN = 2;
const LOSS = 3;
/** The slots of {@link newRsiState}'s state, for a kernel that carries RSI in a pass of its own (src/indicators/rsi-bands.ts). */
export const RSI_SLOT = Object.freeze({ SEG, PREV, GAIN, LOSS });

/** A fresh state for {@link rsiRange} (before the first row). */
export function newRsiState(): Float64Array {
  return new Float64Array(4);
}

/**
 * RSI for rows `[from, to)` of `close`, bit-identical to {@link rsi} over the whole series, with what
 * it needs from earlier rows carried in `state` (from {@link newRsiState}; consecutive ranges from
 * row 0). Row i is written to `out[i - base]`, so `out` may hold only this range (an incremental
 * strategy) or the whole series (`base` 0). `n` is assumed validated.
 *
 * The warm-up of a segment (its first n + 1 values) goes value by value as {@link createRsiStream}
 * does; the steady state is a straight loop of its own (one loop with the warm-up's branches inside
 * made V8 keep the running averages boxed: a heap number per value).
 */
export function rsiRange(close: Float64Array, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  // In calls of at most CHUNK values: a steady-state loop run once over a million values is compiled
  // on stack by V8, and that code boxed the running averages (~50 MB of garbage per million).
  for (let f = from; f < to; f += CHUNK) rsiChunk(close, n, f, Math.min(to, f + CHUNK), state, out, base);
}

/** Values per call of {@link rsiChunk}. */
const CHUNK = 1 << 12;

function rsiChunk(close: Float64Array, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  let i = from;
  while (i < to) {
    if (state[SEG]! > n) {
      i = rsiSteady(close, n, i, to, state, out, base);
      continue;
    }
    rsiWarmStep(close[i]!, n, state, out, i - base);
    i++;
  }
}

/** One value of a segment's warm-up (or a NaN, which restarts it), in {@link rsiSegment}'s arithmetic. */
function rsiWarmStep(v: number, n: number, state: Float64Array, out: Float64Array, at: number): void {
  out[at] = Number.NaN;
  if (v !== v) {
    state[SEG] = 0;
    return;
  }
  const seg = state[SEG]!;
  if (seg === 0) {
    state[PREV] = v;
    state[GAIN] = 0;
    state[LOSS] = 0;
    state[SEG] = 1;
    return;
  }
  const d = v - state[PREV]!;
  state[PREV] = v;
  const a = Math.abs(d);
  let loss = state[LOSS]! + (a - d) * 0.5;
  let gain = state[GAIN]! + (a + d) * 0.5;
  if (seg === n) {
    loss /= n;
    gain /= n;
    const t0 = gain + loss;
    out[at] = t0 !== 0 ? 100 * (gain / t0) : 0;
  }
  state[LOSS] = loss;
  state[GAIN] = gain;
  state[SEG] = seg + 1;
}

/** Wilder's smoothing from row `from` to a NaN (which restarts the warm-up) or `to`; returns where it stopped. */
function rsiSteady(close: Float64Array, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number): number {
  const nm1 = n - 1;
  let prev = state[PREV]!;
  let gain = state[GAIN]!;
  let loss = state[LOSS]!;
  let i = from;
  for (; i < to; i++) {
    const v = close[i]!;
    if (v !== v) {
      out[i - base] = Number.NaN;
      state[SEG] = 0;
      i++;
      break;
    }
    const d = v - prev;
    prev = v;
    const a = Math.abs(d);
    loss *= nm1;
    gain *= nm1;
    loss += (a - d) * 0.5;
    gain += (a + d) * 0.5;
    loss /= n;
    gain /= n;
    const t = gain + loss;
    out[i - base] = t !== 0 ? 100 * (gain / t) : 0;
  }
  state[PREV] = prev;
  state[GAIN] = gain;
  state[LOSS] = loss;
  return i;
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
