import type { Alert, AlertChannel, AlertSender } from '../../../../src/alerts/alert.ts';
import { type AlertOutbox, type AlertOutboxOptions, createAlertOutbox } from '../../../../src/alerts/outbox.ts';
import { ManualScheduler } from '../../../../src/alerts/scheduler.ts';
import { silentLogger } from '../../../integration/alerts/support/outbox-harness.ts';
import { type MemoryAlertStore, memoryAlertStore } from './memory-alert-store.ts';

export const T0 = 1_700_000_000_000;

/**
 * An outbox on the in-memory store and a manual clock. Only the options a test names are set, so
 * the outbox's defaults (pacing, backoff, timeouts, poll interval, digest) are what runs otherwise.
 */
export function outboxFixture() {
  const scheduler = new ManualScheduler(T0);
  const store: MemoryAlertStore = memoryAlertStore();
  const outboxes: AlertOutbox[] = [];
  const sent: Array<{ channel: AlertChannel; critical: boolean; alerts: number; waitedMs: number }> = [];
  return {
    scheduler,
    store,
    sent,
    outbox(senders: readonly AlertSender[], over: Partial<AlertOutboxOptions> = {}): AlertOutbox {
      const o = createAlertOutbox({ store, senders, logger: silentLogger, scheduler, onSent: (channel, info) => sent.push({ channel, ...info }), ...over });
      outboxes.push(o);
      return o;
    },
    queue(channel: AlertChannel, destination: string, alerts: Alert[], nextAttemptAt = scheduler.now()) {
      return store.outbox.insert(alerts.map((alert) => ({ channel, destination, alert, nextAttemptAt })));
    },
    stopAll: () => Promise.all(outboxes.splice(0).map((o) => o.stop())),
  };
}

/** Let pending promise callbacks run (the outbox's store calls are asynchronous). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise resolved by hand: a send that hangs until the test lets it finish. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
