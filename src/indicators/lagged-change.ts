import type { SeriesStream } from './stream.ts';

/**
 * The lagged change shared by momentum (x[i] − x[i−n]) and rate of change
 * (((x[i] / x[i−n]) − 1) × 100, 0 where x[i−n] is 0, as TA-Lib ROC). First value at index n;
 * a NaN input restarts the warm-up (NaN until n + 1 clean values). `n` is assumed validated.
 */
export function laggedChange(x: Float64Array, n: number, pct: boolean): Float64Array<ArrayBuffer> {
  const out = new Float64Array(x.length);
  laggedChangeRange(x, n, pct, 0, x.length, new Float64Array(1), out, 0);
  return out;
}

/**
 * {@link laggedChange} for rows `[from, to)` only, the clean-value count carried in `state[0]` (a
 * fresh `new Float64Array(1)` before row 0); `x` is the whole series, row i goes to `out[i − base]`.
 */
export function laggedChangeRange(x: Float64Array, n: number, pct: boolean, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  // In calls of at most CHUNK values, as the other kernels (a loop run once over a million values is
  // compiled on stack by V8, which may box its doubles).
  for (let f = from; f < to; f += CHUNK) laggedChunk(x, n, pct, f, Math.min(to, f + CHUNK), state, out, base);
}

/** Values per call of {@link laggedChunk}. */
const CHUNK = 1 << 12;

function laggedChunk(x: Float64Array, n: number, pct: boolean, from: number, to: number, state: Float64Array, out: Float64Array, base: number): void {
  let seg = state[0]!;
  for (let i = from; i < to; i++) {
    const v = x[i]!;
    if (v !== v) {
      seg = 0;
      out[i - base] = Number.NaN;
      continue;
    }
    if (seg < n) {
      seg++;
      out[i - base] = Number.NaN;
      continue;
    }
    out[i - base] = pct ? rocOf(v, x[i - n]!) : v - x[i - n]!;
  }
  state[0] = seg;
}

function rocOf(v: number, then: number): number {
  return then !== 0 ? (v / then - 1) * 100 : 0;
}

/** Streaming twin of {@link laggedChange}: a ring buffer of the last n values. */
export class LaggedChangeStream implements SeriesStream {
  value = Number.NaN;
  private readonly n: number;
  private readonly pct: boolean;
  private readonly buf: Float64Array; // oldest value at `head` once full
  private head = 0;
  private seg = 0;
  constructor(n: number, pct: boolean) {
    this.n = n;
    this.pct = pct;
    this.buf = new Float64Array(n);
  }
  next(v: number): number {
    if (v !== v) {
      this.reset();
      return this.value;
    }
    if (this.seg < this.n) {
      this.buf[this.seg++] = v;
      return this.value;
    }
    const then = this.buf[this.head]!;
    this.buf[this.head] = v;
    this.head = this.head + 1 === this.n ? 0 : this.head + 1;
    this.value = this.pct ? rocOf(v, then) : v - then;
    return this.value;
  }
  reset(): void {
    this.head = 0;
    this.seg = 0;
    this.value = Number.NaN;
  }
}
