import type { Candles } from './candles.ts';
import { AppError } from './errors.ts';

/**
 * Order flow approximated from candles. True cumulative volume delta needs every trade's aggressor
 * side; candles only tell whether the period closed up or down, so the whole volume of an up candle
 * counts as buying and of a down candle as selling (a doji counts zero). Coarse, but it is what
 * charting platforms show as "CVD" when trade data is absent. Open interest is fetched from
 * exchanges elsewhere (MarketData.fetchOpenInterest).
 */
export interface VolumeDelta {
  /** volume_i × sign(close_i − open_i). */
  readonly delta: Float64Array;
  /** Running sum of `delta` from the first candle. */
  readonly cvd: Float64Array;
}

/** Per-candle delta and cumulative volume delta. O(n). */
export function cumulativeVolumeDelta(candles: Candles): VolumeDelta {
  const n = candles.length;
  const delta = new Float64Array(n);
  const cvd = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = candles.volume[i]! * Math.sign(candles.close[i]! - candles.open[i]!);
    delta[i] = d + 0; // `+ 0` keeps a doji at 0, not -0
    sum += delta[i]!;
    cvd[i] = sum;
  }
  return { delta, cvd };
}

/**
 * Volume delta summed over the last `window` candles (including candle i): a CVD that forgets, so
 * its level is comparable across time. NaN for the first `window − 1` rows (warm-up), like the
 * indicators. Uses a running sum (add the new delta, subtract the one leaving), so very long series
 * can drift by floating-point rounding in the last bits; exact for integer volumes.
 */
export function rollingCvd(candles: Candles, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) {
    throw new AppError('BAD_REQUEST', `rolling CVD window must be a whole number of candles ≥ 1, got ${window}`);
  }
  const { delta } = cumulativeVolumeDelta(candles);
  const n = delta.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += delta[i]!;
    if (i >= window) sum -= delta[i - window]!;
    if (i >= window - 1) out[i] = sum;
  }
  return out;
}
