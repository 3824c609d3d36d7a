import type { IndicatorStream } from './stream.ts';
import { trOf } from './true-range.ts';
import { checkPeriod, checkSameLength } from './validate.ts';

/**
 * Average true range as TA-Lib ATR: true ranges start at index 1 (they need the previous close);
 * the first ATR, at index n, is the simple mean of the first n true ranges (indices 1…n); after
 * that Wilder's smoothing `atr = (atr × (n−1) + tr) / n` in TA-Lib's operation order. n = 1 gives
 * the true range itself, as in TA-Lib.
 * A bar with any NaN field restarts the warm-up: the next clean bar is the new first bar.
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('atr', 'n', n);
  const len = checkSameLength('atr', { high, low, close });
  const out = new Float64Array(len);
  atrRange(high, low, close, n, 0, len, newAtrState(), out, 0);
  return out;
}

/** A fresh state for {@link atrRange}: clean bars in the segment, previous close, sum, average. */
export function newAtrState(): Float64Array {
  return new Float64Array(4);
}

/**
 * {@link atr} for rows `[from, to)` only, the state carried in `state` (from {@link newAtrState};
 * consecutive ranges from row 0); {@link atr} is this over the whole series. Row i goes to
 * `out[i − base]`. `n` is assumed validated.
 */
export function atrRange(high: Float64Array, low: Float64Array, close: Float64Array, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  // In calls of at most CHUNK values: one loop run once over a million values is compiled on stack by
  // V8, and that code may box the running average (a heap number per value).
  for (let f = from; f < to; f += CHUNK) atrChunk(high, low, close, n, f, Math.min(to, f + CHUNK), state, out, base);
}

/** Values per call of {@link atrChunk}. */
const CHUNK = 1 << 12;

function atrChunk(high: Float64Array, low: Float64Array, close: Float64Array, n: number, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  const nm1 = n - 1;
  let seg = state[0]!;
  let prevClose = state[1]!;
  let sum = state[2]!;
  let avg = state[3]!;
  for (let i = from; i < to; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c) {
      seg = 0;
      out[i - base] = Number.NaN;
      continue;
    }
    if (seg === 0) {
      sum = 0;
      prevClose = c;
      seg = 1;
      out[i - base] = Number.NaN;
      continue;
    }
    const tr = trOf(h, l, prevClose);
    prevClose = c;
    if (seg < n) {
      sum += tr;
      seg++;
      out[i - base] = Number.NaN;
      continue;
    }
    if (seg === n) {
      sum += tr;
      avg = sum / n;
      seg++;
    } else {
      avg = (avg * nm1 + tr) / n;
    }
    out[i - base] = avg;
  }
  state[0] = seg;
  state[1] = prevClose;
  state[2] = sum;
  state[3] = avg;
}

/** Streaming ATR: `next(high, low, close)`, bit-identical to {@link atr}. */
export function createAtrStream(n: number): IndicatorStream<[high: number, low: number, close: number], number> {
  checkPeriod('atr', 'n', n);
  return new AtrStream(n);
}

class AtrStream implements IndicatorStream<[high: number, low: number, close: number], number> {
  value = Number.NaN;
  private readonly n: number;
  private seg = 0;
  private prevClose = 0;
  private sum = 0;
  constructor(n: number) {
    this.n = n;
  }
  next(h: number, l: number, c: number): number {
    const n = this.n;
    if (h !== h || l !== l || c !== c) {
      this.reset();
      return this.value;
    }
    if (this.seg === 0) {
      this.sum = 0;
      this.prevClose = c;
      this.seg = 1;
      return this.value;
    }
    const tr = trOf(h, l, this.prevClose);
    this.prevClose = c;
    if (this.seg < n) {
      this.sum += tr;
      this.seg++;
      return this.value;
    }
    if (this.seg === n) {
      this.sum += tr;
      this.value = this.sum / n;
      this.seg++;
    } else {
      this.value = (this.value * (n - 1) + tr) / n;
    }
    return this.value;
  }
  reset(): void {
    this.seg = 0;
    this.prevClose = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
