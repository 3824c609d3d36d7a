import { RSI_SLOT, rsiRange } from './rsi.ts';
import { WINDOW_SLOT, rollingBandsRange } from './rolling-moments.ts';

const R_SEG = RSI_SLOT.SEG;
const R_PREV = RSI_SLOT.PREV;
const R_GAIN = RSI_SLOT.GAIN;
const R_LOSS = RSI_SLOT.LOSS;
const W_SEG = WINDOW_SLOT.SEG;
const W_RUN = WINDOW_SLOT.RUN;
const W_PREV = WINDOW_SLOT.PREV;
const W_C = WINDOW_SLOT.C;
const W_S1 = WINDOW_SLOT.S1;
const W_S2 = WINDOW_SLOT.S2;
const W_SINCE = WINDOW_SLOT.SINCE;
/** Rows per call of {@link steadyPass} (a loop run once over a million rows is compiled on stack by V8 and boxes its doubles). */
const CHUNK = 1 << 12;

/**
 * RSI and Bollinger Bands of the same series in one pass, for rows `[from, to)`, for a strategy that
 * reads the bands only when RSI is past a threshold (rsi-bb: the lower band when RSI < `lo`, the
 * upper one when RSI > `hi`). RSI is written for every row, bit-identical to {@link rsiRange}; the
 * bands are bit-identical to {@link rollingBandsRange} on every row where RSI is below `lo`, above
 * `hi` or NaN, and NaN on the rows in between (never read there). The states are those of
 * {@link rsiRange} (`newRsiState`) and {@link rollingBandsRange} (`newWindowState`), carried from one
 * range to the next in the same layout, so the two forms may alternate.
 *
 * Why one pass: RSI's steady state is a chain of dependent operations per row (Wilder's smoothing in
 * TA-Lib's order: a multiplication, an addition and a division), so on its own it waits on latency;
 * the window's updates are independent of it and run in those waits. And the bands' division,
 * square root and stores are skipped on the rows where RSI is between the thresholds (most rows).
 *
 * Warm-ups and NaN restarts go row by row through the general kernels; only rows where both are in
 * their steady state (no NaN) take the fused loop, which repeats their arithmetic in their order.
 * `rsiN`, `bbN` and `k` are assumed validated.
 *
 * `inside`, when given, gets 1 for each row whose RSI is between `lo` and `hi` (inclusive) or NaN —
 * the rows where the bands are not computed — and 0 for the others, at `i − base` like the series: a
 * strategy's quiet rows (`StrategyInstance.quietRows`) at no extra pass.
 */
export function rsiBandsRange(
  x: Float64Array,
  rsiN: number,
  bbN: number,
  k: number,
  lo: number,
  hi: number,
  from: number,
  to: number,
  rsiState: Float64Array,
  bandState: Float64Array,
  rsiOut: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  base: number,
  inside?: Uint8Array,
): void {
  let i = from;
  while (i < to) {
    const v = x[i]!;
    if (rsiState[R_SEG]! > rsiN && bandState[W_SEG]! >= bbN && v === v) {
      const stop = steadyPass(x, rsiN, bbN, k, lo, hi, i, Math.min(to, i + CHUNK), rsiState, bandState, rsiOut, upper, lower, base, inside);
      if (stop > i) {
        i = stop;
        continue;
      }
    }
    rsiRange(x, rsiN, i, i + 1, rsiState, rsiOut, base);
    rollingBandsRange(x, bbN, k, i, i + 1, bandState, upper, lower, base);
    if (inside !== undefined) {
      const r = rsiOut[i - base]!;
      inside[i - base] = r < lo || r > hi ? 0 : 1;
    }
    i++;
  }
}

/** Rows from `from` while both kernels are steady, up to a NaN (left to the general kernels) or `to`; returns where it stopped. */
function steadyPass(
  x: Float64Array,
  rsiN: number,
  bbN: number,
  k: number,
  lo: number,
  hi: number,
  from: number,
  to: number,
  rsiState: Float64Array,
  bandState: Float64Array,
  rsiOut: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  base: number,
  inside: Uint8Array | undefined,
): number {
  const nm1 = rsiN - 1;
  let prevR = rsiState[R_PREV]!;
  let gain = rsiState[R_GAIN]!;
  let loss = rsiState[R_LOSS]!;
  let seg = bandState[W_SEG]!;
  let run = bandState[W_RUN]!;
  let prev = bandState[W_PREV]!;
  let c = bandState[W_C]!;
  let s1 = bandState[W_S1]!;
  let s2 = bandState[W_S2]!;
  let since = bandState[W_SINCE]!;
  let i = from;
  for (; i < to; i++) {
    const v = x[i]!;
    if (v !== v) break;
    // RSI: rsi.ts's steady state.
    const d = v - prevR;
    prevR = v;
    const a = Math.abs(d);
    loss *= nm1;
    gain *= nm1;
    loss += (a - d) * 0.5;
    gain += (a + d) * 0.5;
    loss /= rsiN;
    gain /= rsiN;
    const t = gain + loss;
    const r = t !== 0 ? 100 * (gain / t) : 0;
    rsiOut[i - base] = r;
    // The window: rolling-moments.ts's pass past its warm-up (seg > n here, so no first window).
    seg++;
    run = v === prev ? run + 1 : 1;
    prev = v;
    if (run >= bbN) {
      c = v;
      s1 = 0;
      s2 = 0;
      since = 0;
    } else if (since === bbN) {
      c = v;
      s1 = 0;
      s2 = 0;
      for (let j = i - bbN + 1; j <= i; j++) {
        const e = x[j]! - c;
        s1 += e;
        s2 += e * e;
      }
      since = 0;
    } else {
      const dIn = v - c;
      const dOut = x[i - bbN]! - c;
      s1 += dIn - dOut;
      s2 += dIn * dIn - dOut * dOut;
      since++;
    }
    if (r >= lo && r <= hi) {
      upper[i - base] = Number.NaN;
      lower[i - base] = Number.NaN;
      if (inside !== undefined) inside[i - base] = 1;
      continue;
    }
    if (inside !== undefined) inside[i - base] = 0;
    const q = s1 / bbN;
    const m = c + q;
    const variance = s2 / bbN - q * q;
    const sd = variance > 0 ? Math.sqrt(variance) : 0;
    upper[i - base] = m + k * sd;
    lower[i - base] = m - k * sd;
  }
  rsiState[R_PREV] = prevR;
  rsiState[R_GAIN] = gain;
  rsiState[R_LOSS] = loss;
  bandState[W_SEG] = seg;
  bandState[W_RUN] = run;
  bandState[W_PREV] = prev;
  bandState[W_C] = c;
  bandState[W_S1] = s1;
  bandState[W_S2] = s2;
  bandState[W_SINCE] = since;
  return i;
}
