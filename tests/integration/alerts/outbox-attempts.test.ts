import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/client.ts';
import { insertOutbox, outboxRowsFor } from '../../../src/adapters/db/repositories/alert-outbox.ts';
import { PermanentDeliveryError, RetryLaterError } from '../../../src/alerts/alert.ts';
import { type AlertOutbox, type AlertOutboxOptions, createAlertOutbox } from '../../../src/alerts/outbox.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';
import { pacingOf } from '../../../src/alerts/pacing.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';
import { databaseTargets } from '../../support/databases.ts';
import { recordingSender, runUntil, silentLogger, testAlert, titles } from './support/outbox-harness.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';

const T0 = 1_700_000_000_000;

/**
 * What counts as a delivery attempt: a 429 is the platform pacing us, not a failed delivery — it must
 * never bring a row closer to being given up, however many come. Ordinary failures count.
 */
describe.each(databaseTargets())('alert outbox attempts on $name', (target) => {
  let database: Database;
  let scheduler: ManualScheduler;
  const outboxes: AlertOutbox[] = [];
  beforeEach(async () => {
    database = await target.open();
    scheduler = new ManualScheduler(T0);
  });
  afterEach(async () => {
    await Promise.all(outboxes.splice(0).map((o) => o.stop()));
  });
  afterAll(() => target.cleanup());

  const outbox = (senders: AlertOutboxOptions['senders'], over: Partial<AlertOutboxOptions> = {}) => {
    const o = createAlertOutbox({ store: createDbAlertStore(database.db), senders, logger: silentLogger, scheduler, pollIntervalMs: 3_600_000, pacing: pacingOf(CHAT_PLATFORMS), digest: false, ...over });
    outboxes.push(o);
    return o;
  };

  it('429s are not attempts: more of them than maxAttempts, then an error, then success still delivers', async () => {
    const sender = recordingSender('telegram', scheduler, (_d, _a, attempt) => {
      if (attempt <= 5) throw new RetryLaterError(scheduler.now() + 3_000, 'telegram: Too Many Requests: retry after 3');
      if (attempt === 6) throw new Error('502 Bad Gateway');
    });
    const o = outbox([sender], { backoff: { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 } });
    await insertOutbox(database.db, [{ channel: 'telegram', destination: '5', alert: testAlert(1), nextAttemptAt: T0 }]);
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 1);
    expect(sender.attempts).toBe(7);
    // Five 429s at 3 s each, then the 502 and its 1 s backoff.
    expect(sender.delivered[0]!.at - T0).toBe(5 * 3_000 + 1_000);
    const [row] = await outboxRowsFor(database.db, 'telegram', '5');
    // Counted: the 502 and the successful send.
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a run of 429s alone never kills a row; ordinary errors do after maxAttempts', async () => {
    const sender = recordingSender('discord', scheduler, (_d, alert, attempt) => {
      if (alert.body.title === 'alert 1' && attempt <= 4) throw new RetryLaterError(scheduler.now() + 2_000);
      if (alert.body.title === 'alert 2') throw new Error('ECONNRESET');
    });
    const o = outbox([sender], { backoff: { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 } });
    await insertOutbox(database.db, [1, 2, 3].map((n) => ({ channel: 'discord' as const, destination: 'c1', alert: testAlert(n), nextAttemptAt: T0 })));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 2);
    expect(titles(sender.delivered)).toEqual(['alert 1', 'alert 3']);
    const rows = await outboxRowsFor(database.db, 'discord', 'c1');
    expect(rows.map((r) => [r.status, r.attempts, r.lastError ?? null])).toEqual([
      ['sent', 1, null],
      ['dead', 3, 'gave up after 3 attempts: ECONNRESET'],
      ['sent', 1, null],
    ]);
  });

  it('a 429 keeps its retry time; a permanent error ends the row at once', async () => {
    const sender = recordingSender('line', scheduler, (_d, alert, attempt) => {
      if (attempt === 1) throw new RetryLaterError(T0 + 42_000, 'line 429');
      if (alert.body.title === 'alert 1') throw new PermanentDeliveryError('line 400: invalid to');
    });
    const o = outbox([sender]);
    await insertOutbox(database.db, [1, 2].map((n) => ({ channel: 'line' as const, destination: 'U1', alert: testAlert(n), nextAttemptAt: T0 })));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at).toBeGreaterThanOrEqual(T0 + 42_000);
    const rows = await outboxRowsFor(database.db, 'line', 'U1');
    expect(rows.map((r) => [r.status, r.attempts, r.lastError ?? null])).toEqual([
      ['dead', 1, 'line 400: invalid to'],
      ['sent', 1, null],
    ]);
  });
});
