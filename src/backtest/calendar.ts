import { DAY_MS } from './metrics.ts';

/**
 * What the data's own timestamps say about its calendar: the bar length (with calendar months as
 * `1M`, never "4w"), whether the market trades on weekends, and how many return periods make a
 * year. Stock data (no weekend bars) has 252 trading days a year, crypto 365; monthly bars 12,
 * weekly 52. backtesting.py infers the same from the index; we also accept an explicit override.
 */
export interface DataCalendar {
  /** ccxt-style name: `1m`, `4h`, `1d`, `1w`, `1M`. */
  timeframe: string;
  /** Typical bar length in ms (a month is 30.44 days on average). */
  stepMs: number;
  /** True when bars fall on Saturdays/Sundays (crypto trades every day). */
  weekends: boolean;
  /** Trading days per year: 365 with weekend bars, 252 without. */
  tradingDaysPerYear: number;
  /** Return periods per year for annualising (daily returns for intraday/daily bars). */
  periodsPerYear: number;
}

const AVG_MONTH_MS = 30.436875 * DAY_MS;
const WEEK_MS = 7 * DAY_MS;
const UNITS: ReadonlyArray<[string, number]> = [
  ['w', WEEK_MS],
  ['d', DAY_MS],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** A name for a fixed bar length: `60000` → `1m`, `86400000` → `1d`. */
export function stepName(ms: number): string {
  for (const [u, len] of UNITS) if (ms >= len && ms % len === 0 && ms / len < 1000) return `${ms / len}${u}`;
  return `${ms}ms`;
}

/** The most common positive spacing between consecutive timestamps (robust to gaps and weekends). */
export function modalStepMs(ts: ArrayLike<number>): number | undefined {
  const counts = new Map<number, number>();
  const n = Math.min(ts.length, 20_001);
  for (let i = 1; i < n; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best!)) [best, bestCount] = [d, c];
  return best;
}

/** True when most bars are one calendar month apart (month-start or month-end stamps alike). */
export function isMonthly(ts: ArrayLike<number>): boolean {
  const n = Math.min(ts.length, 400);
  if (n < 3) return false;
  let monthly = 0;
  for (let i = 1; i < n; i++) {
    const a = new Date(ts[i - 1]!);
    const b = new Date(ts[i]!);
    const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    const d = ts[i]! - ts[i - 1]!;
    if (months === 1 && d >= 27 * DAY_MS && d <= 32 * DAY_MS) monthly++;
  }
  return monthly >= 0.8 * (n - 1);
}

/** Share of bars stamped on a Saturday or Sunday (UTC), sampled over the whole series. */
function weekendShare(ts: ArrayLike<number>): number {
  const n = ts.length;
  const stride = Math.max(1, Math.floor(n / 50_000));
  let seen = 0;
  let weekend = 0;
  for (let i = 0; i < n; i += stride) {
    // Day of the week from the day number (1970-01-01 was a Thursday, 4): no Date object per bar.
    // In 32-bit integers when the day number fits (every date a Date can hold): a remainder of
    // doubles is a call to fmod, ~20 ns a bar. Integers below 2^53 are exact either way.
    const day = Math.floor(ts[i]! / DAY_MS);
    const dow = day === (day | 0) ? ((((day | 0) + 4) % 7) + 7) % 7 : (((day + 4) % 7) + 7) % 7;
    seen++;
    if (dow === 0 || dow === 6) weekend++;
  }
  return seen > 0 ? weekend / seen : 0;
}

/**
 * Infer the calendar of a series of bar timestamps (ascending UTC ms). `timeframe` (when the caller
 * knows it) fixes the bar length; `periodsPerYear` overrides the annualisation.
 */
export function inferCalendar(ts: ArrayLike<number>, known?: { timeframeMs?: number; periodsPerYear?: number }): DataCalendar {
  const monthly = known?.timeframeMs === undefined && isMonthly(ts);
  const stepMs = monthly ? AVG_MONTH_MS : (known?.timeframeMs ?? modalStepMs(ts) ?? DAY_MS);
  const timeframe = monthly ? '1M' : stepName(stepMs);
  // Bars of a day or shorter on a weekday-only calendar: a stock or FX market (FX opens on Sunday
  // evening UTC: a few weekend bars, far from the 2 in 7 of a market that never closes). Weekly and monthly
  // bars say nothing about weekends (their stamps may fall on any day).
  const weekends = stepMs > DAY_MS ? true : weekendShare(ts) > 0.1;
  const tradingDaysPerYear = weekends ? 365 : 252;
  let periodsPerYear: number;
  if (monthly) periodsPerYear = 12;
  else if (stepMs >= WEEK_MS) periodsPerYear = 52 / (stepMs / WEEK_MS);
  else if (stepMs > DAY_MS) periodsPerYear = (tradingDaysPerYear * DAY_MS) / stepMs;
  else periodsPerYear = tradingDaysPerYear;
  if (known?.periodsPerYear !== undefined) periodsPerYear = known.periodsPerYear;
  return { timeframe, stepMs, weekends, tradingDaysPerYear, periodsPerYear };
}
