import type { Alert, AlertSeverity } from './alert.ts';

export interface CoalesceOptions {
  /** A run of at least this many alerts with one coalesce key becomes one message (default 6: "more than 5"). */
  minBurst: number;
  /** Only alerts created within this long after the first of the run join it. */
  windowMs: number;
  /** Lines listed in the merged message; the rest are counted. */
  maxLines: number;
}

export const DEFAULT_COALESCE: CoalesceOptions = { minBurst: 6, windowMs: 60_000, maxLines: 15 };

/**
 * How many of the queued alerts (oldest first) to send as one message: the run at the head that
 * shares the head's coalesce key, none critical, all within the window — if it is long enough;
 * otherwise just the head. Only a *run at the head* merges, so delivery order is kept.
 */
export function coalesceCount(queue: readonly Alert[], options: CoalesceOptions = DEFAULT_COALESCE): number {
  const head = queue[0];
  if (!head || head.severity === 'critical' || !head.coalesceKey) return head ? 1 : 0;
  let n = 1;
  while (n < queue.length) {
    const a = queue[n]!;
    if (a.coalesceKey !== head.coalesceKey || a.severity === 'critical' || a.createdAt - head.createdAt > options.windowMs) break;
    n++;
  }
  return n >= options.minBurst ? n : 1;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** One message standing for a burst: a count, then one line per alert (their titles), capped. */
export function mergeAlerts(alerts: readonly Alert[], options: CoalesceOptions = DEFAULT_COALESCE): Alert {
  const head = alerts[0]!;
  const severity = alerts.reduce<AlertSeverity>((s, a) => (RANK[a.severity] > RANK[s] ? a.severity : s), 'info');
  const lines = alerts.slice(0, options.maxLines).map((a) => a.body.title ?? a.body.text?.[0] ?? a.type);
  if (alerts.length > options.maxLines) lines.push(`… and ${alerts.length - options.maxLines} more`);
  return {
    type: head.type,
    severity,
    silent: alerts.every((a) => a.silent),
    createdAt: head.createdAt,
    coalesceKey: head.coalesceKey,
    body: { title: `${alerts.length} ${head.type} alerts`, text: lines, tone: severity === 'warning' ? 'warning' : 'info' },
  };
}
