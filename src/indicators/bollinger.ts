import { RollingMoments, rollingBands, rollingMoments } from './rolling-moments.ts';
import type { IndicatorStream } from './stream.ts';
import { checkFinite, checkPeriod } from './validate.ts';

/** Bollinger bands at one bar (or as whole series). */
export interface Bands<T> {
  upper: T;
  middle: T;
  lower: T;
}

/**
 * Bollinger bands as TA-Lib BBANDS with an SMA middle band: middle = SMA(n),
 * upper/lower = middle ± k × population standard deviation of the same n closes. First value at
 * index n−1; a NaN input restarts the warm-up. `k` may be any finite number (TA-Lib allows a
 * negative deviation multiplier too; it swaps the bands).
 */
export function bollinger(close: Float64Array, n: number, k: number): Bands<Float64Array<ArrayBuffer>> {
  checkPeriod('bollinger', 'n', n);
  checkFinite('bollinger', 'k', k);
  const len = close.length;
  const upper = new Float64Array(len);
  const middle = new Float64Array(len);
  const lower = new Float64Array(len);
  // `upper` holds the standard deviation first, then is overwritten in place: no temporary array.
  rollingMoments(close, n, middle, upper);
  for (let i = 0; i < len; i++) {
    const m = middle[i]!;
    const s = upper[i]!;
    upper[i] = m + k * s;
    lower[i] = m - k * s;
  }
  return { upper, middle, lower };
}

/**
 * The upper and lower bands only, bit-identical to {@link bollinger}'s, for callers that do not
 * need the middle band (a strategy's entry rule): written in the same pass that computes the
 * window's moments, with no middle array and no second pass.
 */
export function bollingerBands(close: Float64Array, n: number, k: number): Omit<Bands<Float64Array<ArrayBuffer>>, 'middle'> {
  checkPeriod('bollinger', 'n', n);
  checkFinite('bollinger', 'k', k);
  const upper = new Float64Array(close.length);
  const lower = new Float64Array(close.length);
  rollingBands(close, n, k, upper, lower);
  return { upper, lower };
}

/** Streaming Bollinger bands; `next` returns a fresh record, bit-identical to {@link bollinger}. */
export function createBollingerStream(n: number, k: number): IndicatorStream<[close: number], Bands<number>> {
  checkPeriod('bollinger', 'n', n);
  checkFinite('bollinger', 'k', k);
  return new BollingerStream(n, k);
}

const NAN_BANDS: Readonly<Bands<number>> = Object.freeze({ upper: Number.NaN, middle: Number.NaN, lower: Number.NaN });

class BollingerStream implements IndicatorStream<[close: number], Bands<number>> {
  value: Bands<number> = { ...NAN_BANDS };
  private readonly m: RollingMoments;
  private readonly k: number;
  constructor(n: number, k: number) {
    this.m = new RollingMoments(n, true);
    this.k = k;
  }
  next(close: number): Bands<number> {
    if (this.m.push(close)) {
      const m = this.m.mean;
      const s = this.m.std;
      this.value = { upper: m + this.k * s, middle: m, lower: m - this.k * s };
    } else {
      this.value = { ...NAN_BANDS };
    }
    return this.value;
  }
  reset(): void {
    this.m.reset();
    this.value = { ...NAN_BANDS };
  }
}
