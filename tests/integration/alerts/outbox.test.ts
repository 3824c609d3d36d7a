import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/client.ts';
import { insertOutbox, outboxCounts, outboxRowsFor } from '../../../src/adapters/db/repositories/alert-outbox.ts';
import { type AlertChannel, PermanentDeliveryError, RetryLaterError } from '../../../src/alerts/alert.ts';
import { type AlertOutbox, type AlertOutboxOptions, createAlertOutbox } from '../../../src/alerts/outbox.ts';
import { pacingOf } from '../../../src/alerts/pacing.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';
import { databaseTargets } from '../../support/databases.ts';
import { recordingSender, runUntil, silentLogger, testAlert, titles } from './support/outbox-harness.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';

const T0 = 1_700_000_000_000;

describe.each(databaseTargets())('alert outbox on $name', (target) => {
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
  const queue = (channel: AlertChannel, destination: string, alerts: ReturnType<typeof testAlert>[]) =>
    insertOutbox(database.db, alerts.map((alert) => ({ channel, destination, alert, nextAttemptAt: scheduler.now() })));

  it('delivers 100 alerts queued within one second to one chat, all in order, at most one per second', async () => {
    const sender = recordingSender('telegram', scheduler);
    const o = outbox([sender]);
    await o.start();
    for (let i = 0; i < 100; i++) {
      await queue('telegram', '4242', [testAlert(i)]);
      o.notify('telegram', '4242');
      scheduler.advance(10);
    }
    await runUntil(o, scheduler, () => sender.delivered.length === 100);
    expect(titles(sender.delivered)).toEqual(Array.from({ length: 100 }, (_, i) => `alert ${i}`));
    const gaps = sender.delivered.slice(1).map((d, i) => d.at - sender.delivered[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    expect(sender.attempts).toBe(100);
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 100, dead: 0 });
  });

  it('keeps a Telegram group under 20 messages a minute', async () => {
    const sender = recordingSender('telegram', scheduler);
    const o = outbox([sender]);
    await queue('telegram', '-100123', Array.from({ length: 25 }, (_, i) => testAlert(i)));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 25);
    const at = sender.delivered.map((d) => d.at);
    for (let i = 20; i < at.length; i++) expect(at[i]! - at[i - 20]!).toBeGreaterThanOrEqual(60_000);
    expect(titles(sender.delivered)).toEqual(Array.from({ length: 25 }, (_, i) => `alert ${i}`));
  });

  it('waits for retryAt after a 429 and resends in order', async () => {
    let throttled = false;
    const sender = recordingSender('telegram', scheduler, (_d, alert) => {
      if (alert.body.title === 'alert 2' && !throttled) {
        throttled = true;
        throw new RetryLaterError(scheduler.now() + 7_000, 'telegram: Too Many Requests: retry after 7');
      }
    });
    const o = outbox([sender]);
    await queue('telegram', '7', Array.from({ length: 5 }, (_, i) => testAlert(i)));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 5);
    expect(titles(sender.delivered)).toEqual(['alert 0', 'alert 1', 'alert 2', 'alert 3', 'alert 4']);
    const [a0, a1, a2, a3] = sender.delivered.map((d) => d.at);
    expect(a1! - a0!).toBe(1_000);
    // The 429 came at a1 + 1 s; nothing went to this chat until retryAt.
    expect(a2! - a1!).toBe(1_000 + 7_000);
    expect(a3! - a2!).toBe(1_000);
    const rows = await outboxRowsFor(database.db, 'telegram', '7');
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('backs off exponentially on ordinary errors, then delivers', async () => {
    const sender = recordingSender('line', scheduler, (_d, _a, attempt) => {
      if (attempt <= 3) throw new Error('socket hang up');
    });
    const o = outbox([sender], { backoff: { baseMs: 1_000, maxMs: 60_000 } });
    await queue('line', 'Uabc', [testAlert(1), testAlert(2)]);
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 2);
    // Failures at T0, T0+1 s, T0+3 s; success at T0+7 s (1 s, 2 s, 4 s of backoff).
    expect(sender.delivered.map((d) => d.at - T0)).toEqual([7_000, 7_250]);
    const rows = await outboxRowsFor(database.db, 'line', 'Uabc');
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 4],
      ['sent', 1],
    ]);
  });

  it('marks undeliverable alerts dead with the reason and goes on', async () => {
    const sender = recordingSender('telegram', scheduler, (_d, alert) => {
      if (alert.body.title === 'alert 1') throw new PermanentDeliveryError('telegram 403: Forbidden: bot was blocked by the user');
      if (alert.body.title === 'alert 2') throw new Error('502 Bad Gateway');
    });
    const o = outbox([sender], { backoff: { baseMs: 1_000, maxAttempts: 3 } });
    await queue('telegram', '9', Array.from({ length: 4 }, (_, i) => testAlert(i)));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 2);
    expect(titles(sender.delivered)).toEqual(['alert 0', 'alert 3']);
    const rows = await outboxRowsFor(database.db, 'telegram', '9');
    expect(rows.map((r) => [r.status, r.lastError ?? null])).toEqual([
      ['sent', null],
      ['dead', 'telegram 403: Forbidden: bot was blocked by the user'],
      ['dead', 'gave up after 3 attempts: 502 Bad Gateway'],
      ['sent', null],
    ]);
  });

  it('loses nothing and sends nothing twice across a restart', async () => {
    const first = recordingSender('telegram', scheduler);
    const o1 = outbox([first]);
    await queue('telegram', '11', Array.from({ length: 10 }, (_, i) => testAlert(i)));
    await o1.start();
    await runUntil(o1, scheduler, () => first.delivered.length === 4);
    await o1.stop();
    scheduler.advance(5_000);
    const second = recordingSender('telegram', scheduler);
    const o2 = outbox([second]);
    await o2.start();
    await runUntil(o2, scheduler, () => second.delivered.length === 6);
    expect(titles([...first.delivered, ...second.delivered])).toEqual(Array.from({ length: 10 }, (_, i) => `alert ${i}`));
    expect(first.attempts + second.attempts).toBe(10);
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 10, dead: 0 });
  });

  it('a failing or hanging channel never delays another', async () => {
    const stuck = recordingSender('telegram', scheduler, () => new Promise<void>(() => {}));
    const failing = recordingSender('line', scheduler, () => {
      throw new Error('ECONNRESET');
    });
    const discord = recordingSender('discord', scheduler);
    const o = outbox([stuck, failing, discord], { sendTimeoutMs: 3_600_000 });
    await queue('telegram', '1', [testAlert(0), testAlert(1)]);
    await queue('line', 'Uabc', [testAlert(0), testAlert(1)]);
    await queue('discord', '555', Array.from({ length: 10 }, (_, i) => testAlert(i)));
    await o.start();
    // The Telegram lane stays inside send; wait for the others only.
    await runUntil(o, scheduler, () => discord.delivered.length === 10, (channel) => channel !== 'telegram');
    expect(titles(discord.delivered)).toEqual(Array.from({ length: 10 }, (_, i) => `alert ${i}`));
    // Discord's own pace only: five at once, five more 5 s later.
    expect(discord.delivered.map((d) => d.at - T0)).toEqual([0, 0, 0, 0, 0, 5_000, 5_000, 5_000, 5_000, 5_000]);
    expect(stuck.delivered).toHaveLength(0);
    expect(failing.delivered).toHaveLength(0);
    // Let the hung send time out so the outbox can stop.
    scheduler.advance(3_600_000);
  });

  it('sends critical alerts before a backlog and folds the rest into digests, in order, losing nothing', async () => {
    const sender = recordingSender('telegram', scheduler);
    const o = outbox([sender], { digest: { afterMs: 30_000, maxBacklog: 20 } });
    await queue('telegram', '3', [
      ...Array.from({ length: 30 }, (_, i) => testAlert(i, { type: 'fill', silent: true })),
      testAlert(100, { type: 'trading-state-changed', severity: 'warning', body: { title: 'Trading ACTIVE → REDUCING' } }),
      testAlert(101, { type: 'exchange-error', severity: 'critical', body: { title: 'critical' } }),
      testAlert(102, { type: 'exit', body: { title: 'Exit BTC/USDT' } }),
    ]);
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 3);
    // Critical class first (in its own order), then one digest of everything else (31 > 20 waiting).
    expect(titles(sender.delivered).slice(0, 2)).toEqual(['Trading ACTIVE → REDUCING', 'critical']);
    const d = sender.delivered[2]!.alert;
    expect(d.body.title).toMatch(/^Digest: 31 alerts/);
    expect(d.body.text![0]).toBe('30 fill, 1 exit');
    expect(d.body.text!.at(-1)).toMatch(/Exit BTC\/USDT$/);
    expect(d.silent).toBe(false);
    expect(sender.delivered.map((x) => x.at - T0)).toEqual([0, 1_000, 2_000]);
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 33, dead: 0 });
  });

  it('sends a short young backlog one by one, and folds it once its oldest waited ALERT_DIGEST_AFTER', async () => {
    const sender = recordingSender('telegram', scheduler, (_d, alert) => {
      // The platform is down for the first 40 s: the backlog ages meanwhile.
      if (scheduler.now() < T0 + 40_000 && alert.type !== 'digest') throw new Error('ECONNRESET');
    });
    const o = outbox([sender], { digest: { afterMs: 30_000, maxBacklog: 20 }, backoff: { baseMs: 45_000 } });
    await queue('telegram', '9', Array.from({ length: 5 }, (_, i) => testAlert(i)));
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.alert.body.title).toMatch(/^Digest: 5 alerts/);
    expect(sender.delivered[0]!.at - T0).toBe(45_000);
    await queue('telegram', '9', [testAlert(10)]);
    o.notify('telegram', '9');
    await runUntil(o, scheduler, () => sender.delivered.length === 2);
    expect(titles(sender.delivered)[1]).toBe('alert 10');
  });

  it('leaves rows of channels without a sender pending', async () => {
    const sender = recordingSender('telegram', scheduler);
    const o = outbox([sender]);
    await queue('discord', '555', [testAlert(1)]);
    await queue('telegram', '1', [testAlert(2)]);
    await o.start();
    await runUntil(o, scheduler, () => sender.delivered.length === 1);
    expect(await outboxCounts(database.db)).toEqual({ pending: 1, sent: 1, dead: 0 });
  });
});
