import { AppError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Timeframes accepted everywhere (ccxt notation). Months are left out: they have no fixed length. */
export const TIMEFRAME_PATTERN = /^([1-9][0-9]{0,2})([smhdw])$/;

/** Length of a timeframe such as `1m`, `15m`, `4h`, `1d` in milliseconds. Throws BAD_REQUEST otherwise. */
export function timeframeToMs(timeframe: string): number {
  const m = TIMEFRAME_PATTERN.exec(timeframe);
  if (!m) {
    throw new AppError('BAD_REQUEST', `timeframe "${timeframe}" is not valid: use a number and one of s, m, h, d, w (e.g. 1m, 15m, 4h, 1d)`);
  }
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function isTimeframe(value: string): boolean {
  return TIMEFRAME_PATTERN.test(value);
}

/** Start of the candle containing `ts` (UTC alignment; weeks align on the Unix epoch, a Thursday, shifted to Monday). */
export function alignTs(ts: number, timeframeMs: number): number {
  if (timeframeMs === UNIT_MS.w) {
    const monday = 4 * UNIT_MS.d!; // 1970-01-05 was the first Monday
    return Math.floor((ts - monday) / timeframeMs) * timeframeMs + monday;
  }
  return Math.floor(ts / timeframeMs) * timeframeMs;
}
