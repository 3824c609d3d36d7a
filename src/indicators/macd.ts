import type { IndicatorStream } from './stream.ts';
import { checkPeriod } from './validate.ts';

/** MACD line, signal line and histogram at one bar (or as whole series). */
export interface Macd<T> {
  macd: T;
  signal: T;
  histogram: T;
}

/**
 * MACD as TA-Lib MACD (ta_MACD.c, default compatibility), read from its source:
 * - both price EMAs are seeded on the same bar, index slow−1: the slow EMA with the mean of the
 *   first `slow` values, the fast EMA with the mean of the last `fast` of those (NOT the usual
 *   EMA(fast) seeded at index fast−1 — that is what technicalindicators and most charting sites
 *   do, and their MACD differs from TA-Lib's for the first few dozen bars);
 * - after the seed both follow `ema = ((x − ema) × k) + ema` with k = 2/(period+1);
 * - MACD line = fastEMA − slowEMA, from index slow−1;
 * - signal = EMA(signal) of the MACD line, seeded with the mean of its first `signal` values, so
 *   signal and histogram (= macd − signal) start at index slow+signal−2.
 * TA-Lib reports all three outputs from slow+signal−2 (its lookback); the MACD-line values we also
 * return at slow−1 … slow+signal−3 are the ones TA-Lib computes internally and does not emit.
 * Mask them with `signal` if you need TA-Lib's exact output range.
 * Differences: TA-Lib silently swaps fast and slow when fast > slow; we throw a RangeError because
 * a swapped configuration is a bug. signal = 1 gives signal == macd exactly.
 * A NaN input restarts the warm-up of all three lines.
 */
export function macd(close: Float64Array, fast: number, slow: number, signal: number): Macd<Float64Array<ArrayBuffer>> {
  checkMacdArgs(fast, slow, signal);
  const len = close.length;
  const line = new Float64Array(len);
  const sig = new Float64Array(len);
  const hist = new Float64Array(len);
  const kFast = 2 / (fast + 1);
  const kSlow = 2 / (slow + 1);
  const kSig = 2 / (signal + 1);
  const fastFrom = slow - fast; // segment positions > fastFrom feed the fast seed
  let seg = 0; // clean values in this segment, capped once both lines run
  let fastSum = 0;
  let slowSum = 0;
  let fastEma = 0;
  let slowEma = 0;
  let sigCount = 0;
  let sigSum = 0;
  let sigEma = 0;
  for (let i = 0; i < len; i++) {
    const v = close[i]!;
    if (v !== v) {
      seg = 0;
      fastSum = 0;
      slowSum = 0;
      sigCount = 0;
      sigSum = 0;
      line[i] = Number.NaN;
      sig[i] = Number.NaN;
      hist[i] = Number.NaN;
      continue;
    }
    if (seg < slow) {
      seg++;
      slowSum += v;
      if (seg > fastFrom) fastSum += v;
      if (seg < slow) {
        line[i] = Number.NaN;
        sig[i] = Number.NaN;
        hist[i] = Number.NaN;
        continue;
      }
      slowEma = slowSum / slow;
      fastEma = fastSum / fast;
    } else {
      fastEma = (v - fastEma) * kFast + fastEma;
      slowEma = (v - slowEma) * kSlow + slowEma;
    }
    const m = fastEma - slowEma;
    line[i] = m;
    if (sigCount < signal) {
      sigSum += m;
      sigCount++;
      if (sigCount < signal) {
        sig[i] = Number.NaN;
        hist[i] = Number.NaN;
        continue;
      }
      sigEma = sigSum / signal;
    } else {
      sigEma = signal === 1 ? m : (m - sigEma) * kSig + sigEma;
    }
    sig[i] = sigEma;
    hist[i] = m - sigEma;
  }
  return { macd: line, signal: sig, histogram: hist };
}

function checkMacdArgs(fast: number, slow: number, signal: number): void {
  checkPeriod('macd', 'fast', fast);
  checkPeriod('macd', 'slow', slow);
  checkPeriod('macd', 'signal', signal);
  if (fast > slow) throw new RangeError(`macd: fast (${fast}) must not exceed slow (${slow})`);
}

/** Streaming MACD; `next` returns a fresh record, bit-identical to {@link macd}. */
export function createMacdStream(fast: number, slow: number, signal: number): IndicatorStream<[close: number], Macd<number>> {
  checkMacdArgs(fast, slow, signal);
  return new MacdStream(fast, slow, signal);
}

const NAN_MACD: Readonly<Macd<number>> = Object.freeze({ macd: Number.NaN, signal: Number.NaN, histogram: Number.NaN });

class MacdStream implements IndicatorStream<[close: number], Macd<number>> {
  value: Macd<number> = { ...NAN_MACD };
  private readonly fast: number;
  private readonly slow: number;
  private readonly signal: number;
  private readonly kFast: number;
  private readonly kSlow: number;
  private readonly kSig: number;
  private seg = 0;
  private fastSum = 0;
  private slowSum = 0;
  private fastEma = 0;
  private slowEma = 0;
  private sigCount = 0;
  private sigSum = 0;
  private sigEma = 0;

  constructor(fast: number, slow: number, signal: number) {
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    this.kFast = 2 / (fast + 1);
    this.kSlow = 2 / (slow + 1);
    this.kSig = 2 / (signal + 1);
  }

  next(v: number): Macd<number> {
    if (v !== v) {
      this.reset();
      return this.value;
    }
    const slow = this.slow;
    if (this.seg < slow) {
      this.seg++;
      this.slowSum += v;
      if (this.seg > slow - this.fast) this.fastSum += v;
      if (this.seg < slow) return (this.value = { ...NAN_MACD });
      this.slowEma = this.slowSum / slow;
      this.fastEma = this.fastSum / this.fast;
    } else {
      this.fastEma = (v - this.fastEma) * this.kFast + this.fastEma;
      this.slowEma = (v - this.slowEma) * this.kSlow + this.slowEma;
    }
    const m = this.fastEma - this.slowEma;
    const signal = this.signal;
    if (this.sigCount < signal) {
      this.sigSum += m;
      this.sigCount++;
      if (this.sigCount < signal) return (this.value = { macd: m, signal: Number.NaN, histogram: Number.NaN });
      this.sigEma = this.sigSum / signal;
    } else {
      this.sigEma = signal === 1 ? m : (m - this.sigEma) * this.kSig + this.sigEma;
    }
    return (this.value = { macd: m, signal: this.sigEma, histogram: m - this.sigEma });
  }

  reset(): void {
    this.seg = 0;
    this.fastSum = 0;
    this.slowSum = 0;
    this.sigCount = 0;
    this.sigSum = 0;
    this.value = { ...NAN_MACD };
  }
}
