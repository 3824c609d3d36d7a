/**
 * Rolling mean and population standard deviation over the last `n` values: the engine behind sma,
 * stdev, bollinger, zscore and bbWidth, so that all of them agree bit for bit.
 *
 * Why not a plain running sum and sum of squares (TA-Lib's way)? On BTC prices (~5e4) with a
 * 20-bar standard deviation of ~20, `sumSq/n − mean²` cancels nine digits, and the rounding drift
 * of the running sums keeps growing with the series length. Instead we keep
 *   s1 = Σ(x − c),  s2 = Σ(x − c)²
 * around a shift `c` that is reset to the newest value at every exact recompute. Between
 * recomputes, s1 and s2 are updated in O(1) per bar; every `n` updates they are recomputed from
 * the window (amortised: one extra read per bar), so the drift is bounded by `n` updates whatever
 * the series length. Because `c` sits inside the window, `(s1/n)²` is of the order of the variance
 * and the cancellation is mild; for prices, `x − c` is even exact (Sterbenz). A run of `n` equal
 * values resets the sums to an exact zero, so a flat window has a standard deviation of exactly 0
 * and mean exactly equal to the value.
 *
 * NaN policy: a NaN input restarts the warm-up (the output is NaN until `n` clean values follow).
 */

/**
 * Fills `mean` and/or `std` (either may be null) with the rolling mean and population standard
 * deviation of `x` over `n` values; NaN during the warm-up and until the window is clean again
 * after a NaN. Both outputs must have `x.length` elements. `n` is assumed validated.
 */
export function rollingMoments(x: Float64Array, n: number, mean: Float64Array | null, std: Float64Array | null): void {
  windowPass(x, n, mean, std, Number.NaN);
}

/**
 * Bollinger-style bands straight from the window: `upper[i] = mean + k × std`, `lower[i] = mean − k × std`,
 * bit-identical to computing the moments first and the bands from them, without the intermediate
 * arrays or a second pass. NaN where {@link rollingMoments} gives NaN. `n` and `k` are assumed validated.
 */
export function rollingBands(x: Float64Array, n: number, k: number, upper: Float64Array, lower: Float64Array): void {
  windowPass(x, n, lower, upper, k);
}

/** The window state carried from one chunk to the next (see {@link windowPass}). */
const SEG = 0;
const RUN = 1;
const PREV = 2;
const C = 3;
const S1 = 4;
const S2 = 5;
const SINCE = 6;
/** The slots of {@link newWindowState}'s state, for a kernel that carries the window in a pass of its own (src/indicators/rsi-bands.ts). */
export const WINDOW_SLOT = Object.freeze({ SEG, RUN, PREV, C, S1, S2, SINCE });
/** Values per call of {@link windowChunk}. */
const CHUNK = 1 << 12;

/**
 * The one window state machine. Moments mode (`k` NaN): `a` ← mean, `b` ← std. Bands mode: `a` ←
 * mean − k·std, `b` ← mean + k·std (both required).
 *
 * Run over chunks of {@link CHUNK} values with the state carried in a small array, not in one loop
 * over the whole series: V8 compiles a loop that runs once for a million values "on stack" (OSR),
 * and for this loop that code kept the running sums as boxed numbers — a heap allocation per value
 * (~50 MB of garbage per million) and twice the time. A function called per chunk is compiled
 * normally after a few calls. Same arithmetic in the same order: bit-identical results.
 */
function windowPass(x: Float64Array, n: number, a: Float64Array | null, b: Float64Array | null, k: number): void {
  const state = newWindowState();
  for (let from = 0; from < x.length; from += CHUNK) windowChunk(x, 0, n, a, b, k, state, from, Math.min(x.length, from + CHUNK), 0);
}

/** A fresh window state for the range forms below (before the first row). */
export function newWindowState(): Float64Array {
  const state = new Float64Array(7);
  state[PREV] = Number.NaN;
  return state;
}

/**
 * {@link rollingBands} for rows `[from, to)` only, the window's state carried in `state` (from
 * {@link newWindowState}; consecutive ranges from row 0): bit-identical to the whole-series pass.
 * Row i is written at `i - base` of `upper` and `lower`; the window reads earlier rows of `x`
 * itself, so `x` is the whole series. `n` and `k` are assumed validated.
 */
export function rollingBandsRange(x: Float64Array, n: number, k: number, from: number, to: number, state: Float64Array, upper: Float64Array, lower: Float64Array, base: number): void {
  for (let f = from; f < to; f += CHUNK) windowChunk(x, 0, n, lower, upper, k, state, f, Math.min(to, f + CHUNK), base);
}

/** {@link rollingMoments}' mean (an SMA) for rows `[from, to)`, as {@link rollingBandsRange}. */
export function rollingMeanRange(x: Float64Array, n: number, from: number, to: number, state: Float64Array, mean: Float64Array, base: number): void {
  for (let f = from; f < to; f += CHUNK) windowChunk(x, 0, n, mean, null, Number.NaN, state, f, Math.min(to, f + CHUNK), base);
}

/**
 * {@link rollingMoments} for rows `[from, to)` only, as {@link rollingBandsRange}, over an input that
 * may itself be held by ranges: row j of `x` is `x[j − xBase]`, and it must hold the `n` rows before
 * `from` (a z-score of a derived series: the series carried with a look-back of `n`).
 */
export function rollingMomentsRange(x: Float64Array, xBase: number, n: number, from: number, to: number, state: Float64Array, mean: Float64Array, std: Float64Array, base: number): void {
  for (let f = from; f < to; f += CHUNK) windowChunk(x, xBase, n, mean, std, Number.NaN, state, f, Math.min(to, f + CHUNK), base);
}

/** Rows `[from, to)` of the window pass; row j of `x` is `x[j − xBase]`, row i of the outputs at `i − base`. */
function windowChunk(x: Float64Array, xBase: number, n: number, a: Float64Array | null, b: Float64Array | null, k: number, state: Float64Array, from: number, to: number, base: number): void {
  const bands = k === k;
  const wantStd = b !== null;
  let seg = state[SEG]!; // clean values since the start or the last NaN
  let run = state[RUN]!; // consecutive equal values ending at i
  let prev = state[PREV]!;
  let c = state[C]!;
  let s1 = state[S1]!;
  let s2 = state[S2]!;
  let since = state[SINCE]!; // O(1) updates since the last exact recompute
  for (let i = from; i < to; i++) {
    const v = x[i - xBase]!;
    if (v !== v) {
      seg = 0;
      run = 0;
      prev = Number.NaN;
      if (a !== null) a[i - base] = Number.NaN;
      if (wantStd) b[i - base] = Number.NaN;
      continue;
    }
    seg++;
    run = v === prev ? run + 1 : 1;
    prev = v;
    if (seg < n) {
      if (a !== null) a[i - base] = Number.NaN;
      if (wantStd) b[i - base] = Number.NaN;
      continue;
    }
    if (run >= n) {
      c = v;
      s1 = 0;
      s2 = 0;
      since = 0;
    } else if (seg === n || since === n) {
      c = v;
      s1 = 0;
      s2 = 0;
      for (let j = i - n + 1; j <= i; j++) {
        const d = x[j - xBase]! - c;
        s1 += d;
        if (wantStd) s2 += d * d;
      }
      since = 0;
    } else {
      const dIn = v - c;
      const dOut = x[i - n - xBase]! - c;
      s1 += dIn - dOut;
      if (wantStd) s2 += dIn * dIn - dOut * dOut;
      since++;
    }
    const q = s1 / n;
    const m = c + q;
    if (!wantStd) {
      if (a !== null) a[i - base] = m;
      continue;
    }
    const variance = s2 / n - q * q;
    const sd = variance > 0 ? Math.sqrt(variance) : 0;
    if (bands) {
      b[i - base] = m + k * sd;
      a![i - base] = m - k * sd;
    } else {
      if (a !== null) a[i - base] = m;
      b[i - base] = sd;
    }
  }
  state[SEG] = seg;
  state[RUN] = run;
  state[PREV] = prev;
  state[C] = c;
  state[S1] = s1;
  state[S2] = s2;
  state[SINCE] = since;
}

/**
 * The streaming twin of {@link rollingMoments}: same state machine over a ring buffer, same
 * arithmetic in the same order, hence bit-identical means and standard deviations.
 */
export class RollingMoments {
  /** Mean of the current window (NaN while warming up). */
  mean = Number.NaN;
  /** Population standard deviation of the current window (NaN while warming up). */
  std = Number.NaN;
  private readonly n: number;
  private readonly wantStd: boolean;
  private readonly buf: Float64Array;
  private head = 0; // index of the oldest value once the buffer is full
  private seg = 0;
  private run = 0;
  private prev = Number.NaN;
  private c = 0;
  private s1 = 0;
  private s2 = 0;
  private since = 0;

  constructor(n: number, wantStd: boolean) {
    this.n = n;
    this.wantStd = wantStd;
    this.buf = new Float64Array(n);
  }

  /** Consumes one value; returns true when `mean`/`std` hold a full-window result. */
  push(v: number): boolean {
    const n = this.n;
    if (v !== v) {
      this.reset();
      return false;
    }
    this.seg++;
    this.run = v === this.prev ? this.run + 1 : 1;
    this.prev = v;
    let out = 0;
    if (this.seg <= n) {
      this.buf[this.seg - 1] = v;
      if (this.seg < n) return false;
    } else {
      out = this.buf[this.head]!;
      this.buf[this.head] = v;
      this.head = this.head + 1 === n ? 0 : this.head + 1;
    }
    const wantStd = this.wantStd;
    if (this.run >= n) {
      this.c = v;
      this.s1 = 0;
      this.s2 = 0;
      this.since = 0;
    } else if (this.seg === n || this.since === n) {
      const c = v;
      let s1 = 0;
      let s2 = 0;
      let k = this.head;
      for (let j = 0; j < n; j++) {
        const d = this.buf[k]! - c;
        s1 += d;
        if (wantStd) s2 += d * d;
        k = k + 1 === n ? 0 : k + 1;
      }
      this.c = c;
      this.s1 = s1;
      this.s2 = s2;
      this.since = 0;
    } else {
      const c = this.c;
      const dIn = v - c;
      const dOut = out - c;
      this.s1 += dIn - dOut;
      if (wantStd) this.s2 += dIn * dIn - dOut * dOut;
      this.since++;
    }
    const q = this.s1 / n;
    this.mean = this.c + q;
    if (wantStd) {
      const variance = this.s2 / n - q * q;
      this.std = variance > 0 ? Math.sqrt(variance) : 0;
    }
    return true;
  }

  reset(): void {
    this.mean = Number.NaN;
    this.std = Number.NaN;
    this.head = 0;
    this.seg = 0;
    this.run = 0;
    this.prev = Number.NaN;
    this.c = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.since = 0;
  }
}
