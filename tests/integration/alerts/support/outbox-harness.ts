import pino from 'pino';
import type { Alert, AlertChannel, AlertSender } from '../../../../src/alerts/alert.ts';
import type { AlertOutbox } from '../../../../src/alerts/outbox.ts';
import type { ManualScheduler } from '../../../../src/alerts/scheduler.ts';

export const silentLogger = pino({ level: 'silent' });

export interface Delivery {
  at: number;
  destination: string;
  alert: Alert;
}

/**
 * A sender that records what it delivered and when (on the manual clock). `behaviour` may throw
 * (RetryLaterError, PermanentDeliveryError, Error) or hang to simulate the platform.
 */
export function recordingSender(
  channel: AlertChannel,
  clock: { now(): number },
  behaviour?: (destination: string, alert: Alert, attempt: number) => void | Promise<void>,
): AlertSender & { delivered: Delivery[]; attempts: number } {
  const s = {
    channel,
    delivered: [] as Delivery[],
    attempts: 0,
    async send(destination: string, alert: Alert) {
      s.attempts++;
      await behaviour?.(destination, alert, s.attempts);
      s.delivered.push({ at: clock.now(), destination, alert });
    },
  };
  return s;
}

/** Let the outbox work, moving the manual clock to each next timer, until `done()` holds. */
export async function runUntil(
  outbox: AlertOutbox,
  scheduler: ManualScheduler,
  done: () => boolean,
  which?: (channel: AlertChannel, destination: string) => boolean,
  maxSteps = 5_000,
): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    await outbox.whenIdle(which);
    if (done()) return;
    const next = scheduler.nextAt();
    if (next === undefined) throw new Error('nothing scheduled and not done');
    scheduler.advanceTo(next);
  }
  throw new Error(`not done after ${maxSteps} steps`);
}

/** An alert for tests; `n` makes titles distinct and ordered. */
export function testAlert(n: number, over: Partial<Alert> = {}): Alert {
  return { type: 'strategy-message', severity: 'info', silent: false, createdAt: 1_000 + n, body: { title: `alert ${n}` }, ...over };
}

export const titles = (d: Delivery[]) => d.map((x) => x.alert.body.title);
