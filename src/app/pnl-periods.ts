import type { PnlRow } from '../../commands/services.ts';
import type { EquitySnapshot, FillRecord } from '../ports/store.ts';

const DAY = 86_400_000;

/** UTC start of the period containing ts (weeks start on Monday). */
export function periodStart(ts: number, period: 'day' | 'week' | 'month'): number {
  const d = new Date(ts);
  if (period === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY;
}

/** Step back `n` periods from a period start. */
export function periodsBack(start: number, period: 'day' | 'week' | 'month', n: number): number {
  if (period === 'day') return start - n * DAY;
  if (period === 'week') return start - n * 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1);
}

/**
 * Realised P&L, fees and trade count per period for the last `count` periods (newest first),
 * with the last equity snapshot of each period when there is one.
 */
export function pnlByPeriod(fills: readonly FillRecord[], snapshots: readonly EquitySnapshot[], period: 'day' | 'week' | 'month', count: number, now: number): PnlRow[] {
  const current = periodStart(now, period);
  const rows = new Map<number, PnlRow>();
  for (let k = 0; k < count; k++) {
    const s = periodsBack(current, period, k);
    rows.set(s, { periodStart: s, realizedPnl: 0, fees: 0, trades: 0 });
  }
  for (const f of fills) {
    const row = rows.get(periodStart(f.ts, period));
    if (!row) continue;
    row.realizedPnl += f.realizedPnl - f.fee;
    row.fees += f.fee;
    row.trades += 1;
  }
  for (const s of snapshots) {
    const row = rows.get(periodStart(s.ts, period));
    if (row) row.endEquity = s.equity;
  }
  return [...rows.values()].sort((a, b) => b.periodStart - a.periodStart);
}
