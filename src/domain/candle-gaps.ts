import { allocCandles, type Candles } from './candles.ts';
import { AppError } from './errors.ts';

/** One run of consecutive missing candles. */
export interface CandleGap {
  /** Open time of the first missing candle (UTC ms). */
  readonly from: number;
  /** Open time of the last missing candle (UTC ms). */
  readonly to: number;
  /** Number of missing candles in the run. */
  readonly missing: number;
}

export interface GapReport {
  /** Total missing candles over all gaps. */
  readonly missing: number;
  readonly gaps: readonly CandleGap[];
}

/**
 * What to do with missing candles:
 * - `leave`: keep the series as it is. Right for backtests on exchange data, where a missing minute
 *   means nobody traded; indicators then step over the hole.
 * - `fill`: insert flat zero-volume candles at the previous close (freqtrade's
 *   `ohlcv_fill_up_missing_data` does the same), for code that needs one row per period.
 */
export type GapPolicy = 'leave' | 'fill';

export const GAP_POLICIES: readonly GapPolicy[] = ['leave', 'fill'];

function checkTimeframe(timeframeMs: number): void {
  if (!Number.isInteger(timeframeMs) || timeframeMs <= 0) {
    throw new AppError('BAD_REQUEST', `timeframe must be a positive whole number of milliseconds, got ${timeframeMs}`);
  }
}

/**
 * Number of candles missing between rows i-1 and i, for a series that should have one candle every
 * `timeframeMs`. Rows closer than one timeframe (or out of order) mean the timeframe is wrong for this
 * data or the series is unsorted — refusing beats reporting a confident but meaningless zero.
 * A step that is not a whole number of timeframes (misaligned data) counts the grid slots strictly
 * between the two rows.
 */
function missingBetween(c: Candles, i: number, timeframeMs: number): number {
  const step = c.ts[i]! - c.ts[i - 1]!;
  if (step < timeframeMs) {
    throw new AppError(
      'BAD_REQUEST',
      `candles ${i - 1} and ${i} are ${step} ms apart, less than the ${timeframeMs} ms timeframe (wrong timeframe or unsorted series)`,
    );
  }
  return Math.ceil(step / timeframeMs) - 1;
}

/**
 * Find runs of missing candles in an ascending series with one candle expected every `timeframeMs`.
 * Only holes between the first and last candle are reported (the data's own range is not known
 * beyond them). O(n).
 */
export function findGaps(candles: Candles, timeframeMs: number): GapReport {
  checkTimeframe(timeframeMs);
  const gaps: CandleGap[] = [];
  let missing = 0;
  for (let i = 1; i < candles.length; i++) {
    const m = missingBetween(candles, i, timeframeMs);
    if (m === 0) continue;
    const from = candles.ts[i - 1]! + timeframeMs;
    gaps.push({ from, to: from + (m - 1) * timeframeMs, missing: m });
    missing += m;
  }
  return { missing, gaps };
}

/**
 * Fill every hole with flat candles: open = high = low = close = the previous candle's close,
 * volume 0 — "nothing traded, the price stayed". The result has one candle per timeframe from the
 * first to the last candle (for aligned data). Returns the input itself when nothing is missing.
 */
export function fillGaps(candles: Candles, timeframeMs: number): Candles {
  const { missing } = findGaps(candles, timeframeMs);
  if (missing === 0) return candles;
  const out = allocCandles(candles.length + missing);
  let k = 0;
  for (let i = 0; i < candles.length; i++) {
    if (i > 0) {
      const m = Math.ceil((candles.ts[i]! - candles.ts[i - 1]!) / timeframeMs) - 1;
      const prevClose = candles.close[i - 1]!;
      for (let j = 1; j <= m; j++) {
        out.ts[k] = candles.ts[i - 1]! + j * timeframeMs;
        out.open[k] = prevClose;
        out.high[k] = prevClose;
        out.low[k] = prevClose;
        out.close[k] = prevClose;
        out.volume[k] = 0;
        k++;
      }
    }
    out.ts[k] = candles.ts[i]!;
    out.open[k] = candles.open[i]!;
    out.high[k] = candles.high[i]!;
    out.low[k] = candles.low[i]!;
    out.close[k] = candles.close[i]!;
    out.volume[k] = candles.volume[i]!;
    k++;
  }
  return out;
}

/** Apply a {@link GapPolicy}; the report always describes the gaps of the input. */
export function applyGapPolicy(candles: Candles, timeframeMs: number, policy: GapPolicy): { candles: Candles; report: GapReport } {
  if (!GAP_POLICIES.includes(policy)) {
    throw new AppError('BAD_REQUEST', `gap policy "${String(policy)}" is not one of ${GAP_POLICIES.join(', ')}`);
  }
  const report = findGaps(candles, timeframeMs);
  if (policy === 'leave' || report.missing === 0) return { candles, report };
  return { candles: fillGaps(candles, timeframeMs), report };
}

/**
 * The step of a series: the smallest positive difference between consecutive open times (gaps only
 * make steps larger, so the smallest one is the timeframe). Undefined for fewer than two candles.
 * Useful when a file does not say its timeframe; monthly data has no fixed step, check the result.
 */
export function inferStepMs(candles: Candles): number | undefined {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < candles.length; i++) {
    const d = candles.ts[i]! - candles.ts[i - 1]!;
    if (d > 0 && d < best) best = d;
  }
  return Number.isFinite(best) ? best : undefined;
}
