import type { Candles } from '../domain/candles.ts';
import { findGaps, inferStepMs, type CandleGap, type GapReport } from '../domain/candle-gaps.ts';
import { AppError } from '../domain/errors.ts';
import { alignTs, timeframeToMs } from '../domain/timeframe.ts';

/**
 * The timeframe of a stored series. Fixed-length ones (`1m` … `1w`) are what the engine trades on;
 * `1M` (calendar month, ccxt's notation) exists only so monthly files — pandas month-end data such as
 * backtesting.py's BTCUSD.csv — can be imported and checked: a month has no fixed length, so its
 * step and gaps are counted in calendar months.
 */
export type SeriesTimeframe =
  | { readonly label: string; readonly kind: 'fixed'; readonly ms: number }
  | { readonly label: '1M'; readonly kind: 'month' };

const DAY = 86_400_000;

/** Parse `--timeframe`: any fixed timeframe, or `1M`. */
export function parseSeriesTimeframe(label: string): SeriesTimeframe {
  if (label === '1M') return { label: '1M', kind: 'month' };
  return { label, kind: 'fixed', ms: timeframeToMs(label) };
}

/** A duration as the shortest timeframe-like text: `5m`, `1h`, `28d`, `90s`, else ms. */
export function describeStep(ms: number): string {
  for (const [unit, size] of [['w', 7 * DAY], ['d', DAY], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms} ms`;
}

const monthIndex = (ts: number): number => {
  const d = new Date(ts);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * Refuse a file whose candles are not `timeframe` apart: the smallest step between two candles
 * (gaps only make steps larger) must be the timeframe — 28 to 31 days for `1M`. A file with one
 * candle says nothing and passes.
 */
export function checkSeriesStep(candles: Candles, tf: SeriesTimeframe, fileName: string): void {
  const step = inferStepMs(candles);
  if (step === undefined) return;
  if (tf.kind === 'month') {
    if (step < 28 * DAY || step > 31 * DAY) {
      throw new AppError('BAD_REQUEST', `${fileName} holds candles ${describeStep(step)} apart, not monthly: --timeframe 1M does not match (use --timeframe ${describeStep(step)})`, { step });
    }
    for (let i = 1; i < candles.length; i++) {
      if (monthIndex(candles.ts[i]!) === monthIndex(candles.ts[i - 1]!)) {
        throw new AppError('BAD_REQUEST', `${fileName} has two candles in the month of ${new Date(candles.ts[i]!).toISOString().slice(0, 7)}: not monthly data`);
      }
    }
    return;
  }
  if (step !== tf.ms) {
    const hint = step >= 28 * DAY && step <= 31 * DAY ? '1M' : describeStep(step);
    throw new AppError(
      'BAD_REQUEST',
      `${fileName} holds ${describeStep(step)} candles (the smallest step between two of them) but --timeframe is ${tf.label}; did you mean --timeframe ${hint}?`,
      { step, timeframe: tf.label },
    );
  }
}

/** How many candles do not open on a UTC boundary of the timeframe (worth a warning, not a refusal). */
export function countMisaligned(candles: Candles, tf: SeriesTimeframe): number {
  if (tf.kind === 'month') return 0;
  let n = 0;
  for (let i = 0; i < candles.length; i++) if (alignTs(candles.ts[i]!, tf.ms) !== candles.ts[i]) n++;
  return n;
}

/** Gaps of an ascending series at its timeframe; months are counted on the calendar. */
export function seriesGaps(candles: Candles, tf: SeriesTimeframe): GapReport {
  if (tf.kind === 'fixed') return findGaps(candles, tf.ms);
  const gaps: CandleGap[] = [];
  let missing = 0;
  for (let i = 1; i < candles.length; i++) {
    const a = monthIndex(candles.ts[i - 1]!);
    const m = monthIndex(candles.ts[i]!) - a - 1;
    if (m <= 0) continue;
    const first = Date.UTC(Math.floor((a + 1) / 12), (a + 1) % 12, 1);
    const last = Date.UTC(Math.floor((a + m) / 12), (a + m) % 12, 1);
    gaps.push({ from: first, to: last, missing: m });
    missing += m;
  }
  return { missing, gaps };
}
