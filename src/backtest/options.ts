import { AppError } from '../domain/errors.ts';
import { parseSizing } from '../risk/sizing.ts';
import type { BacktestSizing } from './types.ts';

const NUM = '([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)';

/**
 * A fee as a fraction of the traded value: `0.1%`, `10bps`, a bare fraction (`0.001`). Numbers are
 * fractions. Refused above 10 % (certainly a unit mistake).
 */
export function parseFeeRate(value: number | string, what = 'fee'): number {
  let rate: number;
  if (typeof value === 'number') rate = value;
  else {
    const t = value.trim().toLowerCase();
    const pct = new RegExp(`^${NUM}\\s*%$`).exec(t);
    const bps = new RegExp(`^${NUM}\\s*bps?$`).exec(t);
    const bare = new RegExp(`^${NUM}$`).exec(t);
    if (pct) rate = Number(pct[1]) / 100;
    else if (bps) rate = Number(bps[1]) / 10_000;
    else if (bare) rate = Number(bare[1]);
    else throw new AppError('BAD_REQUEST', `${what} "${value}" is not valid: use a percentage (0.1%) or basis points (10bps)`);
  }
  if (!Number.isFinite(rate) || rate < 0 || rate > 0.1) throw new AppError('BAD_REQUEST', `${what} must be between 0 and 10 %, got ${String(value)}`);
  return rate;
}

/** Basis points: `5bps`, `0.05%`, or a bare number of bps. Refused above 1,000 bps (10 %). */
export function parseBps(value: number | string, what = 'slippage'): number {
  let bps: number;
  if (typeof value === 'number') bps = value;
  else {
    const t = value.trim().toLowerCase();
    const pct = new RegExp(`^${NUM}\\s*%$`).exec(t);
    const b = new RegExp(`^${NUM}\\s*(?:bps?)?$`).exec(t);
    if (pct) bps = Number(pct[1]) * 100;
    else if (b) bps = Number(b[1]);
    else throw new AppError('BAD_REQUEST', `${what} "${value}" is not valid: use basis points (5bps) or a percentage (0.05%)`);
  }
  if (!Number.isFinite(bps) || bps < 0 || bps > 1000) throw new AppError('BAD_REQUEST', `${what} must be between 0 and 1000 bps, got ${String(value)}`);
  return bps;
}

/** `all-in`, `fixed:AMOUNT`, `percent:P`, `kelly` (from the trades so far) or `kelly:F` (a given fraction). */
export function parseBacktestSizing(value: BacktestSizing | string): BacktestSizing {
  if (typeof value !== 'string') return value;
  const t = value.trim().toLowerCase();
  if (t === 'kelly') return { kind: 'kelly-auto' };
  const k = new RegExp(`^kelly:${NUM}$`).exec(t);
  if (k) {
    const f = Number(k[1]);
    if (f > 0 && f <= 1) return { kind: 'kelly', fraction: f };
    throw new AppError('BAD_REQUEST', `kelly fraction must be in (0, 1], got ${k[1]}`);
  }
  return parseSizing(t);
}

export function sizingLabel(s: BacktestSizing): string {
  switch (s.kind) {
    case 'all-in':
      return 'all-in';
    case 'fixed':
      return `fixed:${s.quote}`;
    case 'percent':
      return `percent:${s.pct}`;
    case 'kelly':
      return `kelly:${s.fraction}`;
    case 'kelly-auto':
      return 'kelly';
  }
}

const UNITS: ReadonlyArray<[string, number]> = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** A timeframe name for a candle spacing (`60000` → `1m`); spacings that fit no unit read `123456ms`. */
export function timeframeName(ms: number): string {
  for (const [u, len] of UNITS) if (ms >= len && ms % len === 0 && ms / len < 1000) return `${ms / len}${u}`;
  return `${ms}ms`;
}
