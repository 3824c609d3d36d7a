import type { Alert, AlertSeverity } from './alert.ts';

export interface DigestOptions {
  /** Fold the backlog once its oldest alert has waited this long (ALERT_DIGEST_AFTER). */
  afterMs: number;
  /** … or once more than this many wait. */
  maxBacklog: number;
  /** At most this many alerts in one digest (the rest follow in the next). */
  maxAlerts: number;
  /** Lines listing individual alerts (the latest ones); the rest are counted per type. */
  maxLines: number;
}

export const DEFAULT_DIGEST: DigestOptions = { afterMs: 30_000, maxBacklog: 20, maxAlerts: 500, maxLines: 12 };

/** When an alert joined the outbox (wall time); older rows carry only their event time. */
export const queuedAt = (a: Alert): number => a.queuedAt ?? a.createdAt;

/**
 * How many of a destination's waiting non-critical alerts (oldest first) to send as one digest now:
 * all of them (up to `maxAlerts`) when the oldest has waited `afterMs` or more than `maxBacklog`
 * wait; otherwise 1 (the oldest goes on its own, in order). `backlog` is the number waiting, which
 * may be more than the rows read.
 */
export function digestCount(rows: readonly Alert[], backlog: number, now: number, options: DigestOptions = DEFAULT_DIGEST): number {
  const head = rows[0];
  if (!head) return 0;
  const old = now - queuedAt(head) >= options.afterMs;
  if (!old && backlog <= options.maxBacklog) return 1;
  return Math.min(rows.length, options.maxAlerts);
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * One message standing for many alerts: counts per type, then the latest alerts one line each, in
 * the order they happened. Silent only when every alert was.
 */
export function digestOf(alerts: readonly Alert[], options: DigestOptions = DEFAULT_DIGEST): Alert {
  const first = alerts[0]!;
  const last = alerts[alerts.length - 1]!;
  const severity = alerts.reduce<AlertSeverity>((s, a) => (RANK[a.severity] > RANK[s] ? a.severity : s), 'info');
  const perType = new Map<string, number>();
  for (const a of alerts) perType.set(a.type, (perType.get(a.type) ?? 0) + 1);
  const counts = [...perType].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} ${t}`).join(', ');
  const shown = alerts.slice(-options.maxLines);
  const lines = shown.map((a) => `${hhmmss(a.createdAt)} ${a.body.title ?? a.body.text?.[0] ?? a.type}`);
  if (alerts.length > shown.length) lines.unshift(`… ${alerts.length - shown.length} earlier not listed`);
  return {
    type: 'digest',
    severity,
    silent: alerts.every((a) => a.silent),
    createdAt: first.createdAt,
    queuedAt: queuedAt(last),
    priority: 'normal',
    body: {
      title: `Digest: ${alerts.length} alerts ${hhmmss(first.createdAt)}–${hhmmss(last.createdAt)} UTC`,
      text: [counts, ...lines],
      tone: severity === 'warning' ? 'warning' : 'info',
    },
  };
}

function hhmmss(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}
