import type { DomainEvent } from '../domain/events.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';
import type { AlertStore, OutboxInsert } from '../ports/alert-store.ts';
import type { Alert, AlertChannel, AlertLevel } from './alert.ts';
import { applyLevel, resolveLevel } from './alert-levels.ts';
import type { AlertDestination } from './destinations.ts';
import { eventToAlert } from './event-to-alert.ts';
import { alertPriority } from './priority.ts';

export interface AlertFanoutOptions {
  /** Outbox rows and `/alerts` settings (the composition root passes the database implementation). */
  store: AlertStore;
  destinations: readonly AlertDestination[];
  logger: Logger;
  /** Configured default level per alert type (below `/alerts` settings). */
  defaults?: Readonly<Record<string, AlertLevel>>;
  /** Told after rows were queued, so the outbox delivers without waiting for its poll. */
  onQueued?: (channel: AlertChannel, destination: string) => void;
  /** Wall clock for `next_attempt_at` (event times may be market time); default Date.now. */
  now?: () => number;
  /** Event → alert; default eventToAlert. */
  toAlert?: (event: DomainEvent) => Alert | undefined;
}

export interface AlertFanout {
  /** Queue the alert for `event` on every destination whose level lets it through; returns rows written. */
  publish(event: DomainEvent): Promise<number>;
  /** Queue an alert that did not come from a domain event (a later issue's own alerts). */
  publishAlert(alert: Alert): Promise<number>;
  /** Subscribe to every event of the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void;
}

/**
 * The one fan-out (docs/architecture.md, example 2): every event becomes at most one alert, written
 * as one outbox row per destination in one statement, after the per-channel/per-type level is
 * applied (`off` drops it — not for critical alerts —, `silent` sends it without a sound). Writing to
 * the outbox is all it does; delivery, pacing and retries belong to the outbox, per destination, so
 * a slow platform never holds up the engine or the other platforms.
 */
export function createAlertFanout(options: AlertFanoutOptions): AlertFanout {
  const log = options.logger.child({ component: 'alerts' });
  const toAlert = options.toAlert ?? eventToAlert;
  const now = options.now ?? Date.now;
  // Events are queued one after another: the bus runs async subscribers concurrently, and rows
  // inserted out of event order would be delivered out of order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const p = chain.then(task);
    chain = p.catch(() => {});
    return p;
  };

  async function write(alert: Alert): Promise<number> {
    if (options.destinations.length === 0) return 0;
    const stored = await options.store.listAlertSettings();
    const rows: OutboxInsert[] = [];
    const at = now();
    // The class decides the delivery order (critical first); the wall time, how long it waited.
    const stamped: Alert = { ...alert, priority: alertPriority(alert), queuedAt: at };
    for (const d of options.destinations) {
      const { level } = resolveLevel(stored, d.channel, alert.type, options.defaults);
      const { deliver, silent } = applyLevel(level, alert.severity);
      if (!deliver) continue;
      rows.push({ channel: d.channel, destination: d.destination, alert: { ...stamped, silent: alert.silent || silent }, nextAttemptAt: at });
    }
    await options.store.outbox.insert(rows);
    for (const r of rows) options.onQueued?.(r.channel, r.destination);
    return rows.length;
  }

  const publishAlert = (alert: Alert): Promise<number> => serial(() => write(alert));

  async function publish(event: DomainEvent): Promise<number> {
    const alert = toAlert(event);
    return alert ? publishAlert(alert) : 0;
  }

  return {
    publish,
    publishAlert,
    attach(bus) {
      return bus.onAny(async (event) => {
        try {
          await publish(event);
        } catch (err) {
          // The database refused the rows: the alert is lost, so say loudly what it was.
          log.error({ err, event: { type: event.type, ts: event.ts } }, 'alert could not be queued');
        }
      });
    },
  };
}
