import type { Alert } from './alert.ts';

/** Delivery classes: critical alerts go out before everything else and are never folded into a digest. */
export type AlertPriority = 'critical' | 'normal';

/**
 * Alert types that are critical whatever their severity: a change of trading state, kill-all, a
 * protection stopping entries, an exchange ban, a reconciliation discrepancy between our books and
 * the exchange. People act on these; they must not wait behind a backlog of fills.
 */
export const CRITICAL_ALERT_TYPES: ReadonlySet<string> = new Set([
  'trading-state-changed',
  'killall',
  'protection-triggered',
  'exchange-ban',
  'reconciliation-discrepancy',
  'manual-order-denied',
]);

/**
 * The class of an alert: set explicitly (`alert.priority`), or critical by severity or type; an
 * order denial is critical when the order was a manual one (someone is waiting for it).
 */
export function alertPriority(alert: Alert): AlertPriority {
  if (alert.priority) return alert.priority;
  if (alert.severity === 'critical' || CRITICAL_ALERT_TYPES.has(alert.type)) return 'critical';
  return 'normal';
}

/**
 * The alert as an outbox row stores it: its delivery class and its queue time (default: when it may
 * first be delivered) travel with it, since the outbox orders and digests by them. Every AlertStore
 * stores this (the database one and the outbox tests' in-memory one).
 */
export function queuedAlert(alert: Alert, nextAttemptAt: number): Alert {
  return { ...alert, priority: alert.priority ?? alertPriority(alert), queuedAt: alert.queuedAt ?? nextAttemptAt };
}
