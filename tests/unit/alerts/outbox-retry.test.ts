import { afterEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RetryLaterError } from '../../../src/alerts/alert.ts';
import { recordingSender, runUntil, testAlert, titles } from '../../integration/alerts/support/outbox-harness.ts';
import { T0, deferred, outboxFixture, settle } from './support/outbox-fixture.ts';

/** Retry, backoff, 429 waits, dead rows and send timeouts of the outbox, with its defaults where not set. */
describe('alert outbox retries', () => {
  let f = outboxFixture();
  afterEach(async () => {
    await f.stopAll();
    f = outboxFixture();
  });
  const noPacing = () => ({ minIntervalMs: 0 });

  it('paces one destination to one message a second when no pacing is given', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false });
    await f.queue('telegram', '1', [testAlert(1), testAlert(2), testAlert(3)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 3);
    expect(sender.delivered.map((d) => d.at - T0)).toEqual([0, 1_000, 2_000]);
    expect(titles(sender.delivered)).toEqual(['alert 1', 'alert 2', 'alert 3']);
  });

  it('backs off 2 s, 4 s, 8 s after ordinary failures by default, counting each attempt', async () => {
    const sender = recordingSender('telegram', f.scheduler, (_d, _a, attempt) => {
      if (attempt <= 3) throw new Error('502 Bad Gateway');
    });
    const o = f.outbox([sender], { digest: false });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.attempts === 1);
    expect(f.store.rows[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 2_000, lastError: '502 Bad Gateway' });
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(2_000 + 4_000 + 8_000);
    expect(f.store.rows[0]).toMatchObject({ status: 'sent', attempts: 4, sentAt: T0 + 14_000 });
  });

  it('caps the backoff at maxMs and starts it at baseMs', async () => {
    const sender = recordingSender('telegram', f.scheduler, (_d, _a, attempt) => {
      if (attempt <= 4) throw new Error('ECONNRESET');
    });
    const o = f.outbox([sender], { digest: false, pacing: noPacing, backoff: { baseMs: 100, maxMs: 300 } });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(100 + 200 + 300 + 300);
  });

  it('gives up on a row after 20 ordinary failures by default, keeping the reason, and goes on with the next', async () => {
    const sender = recordingSender('discord', f.scheduler, (_d, alert) => {
      if (alert.body.title === 'alert 1') throw new Error('ECONNRESET');
    });
    const o = f.outbox([sender], { digest: false, backoff: { maxMs: 1_000 } });
    await f.queue('discord', 'c', [testAlert(1), testAlert(2)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.attempts).toBe(21);
    expect(f.store.rows[0]).toMatchObject({ status: 'dead', attempts: 20, lastError: 'gave up after 20 attempts: ECONNRESET' });
    expect(f.store.rows[1]).toMatchObject({ status: 'sent' });
    // Every backoff capped at 1 s; the next row follows the last failure one pacing second later.
    const lastFailureAt = T0 + 19 * 1_000;
    expect(sender.delivered[0]!.at).toBe(lastFailureAt + 1_000);
  });

  it('with maxAttempts 2, retries once and gives up on the second failure', async () => {
    const sender = recordingSender('discord', f.scheduler, () => {
      throw new Error('500');
    });
    const o = f.outbox([sender], { digest: false, backoff: { maxAttempts: 2 } });
    await f.queue('discord', 'c', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows[0]!.status === 'dead');
    expect(sender.attempts).toBe(2);
    expect(f.store.rows[0]!.lastError).toBe('gave up after 2 attempts: 500');
  });

  it('waits for the retryAt of a 429 without counting an attempt, then resends', async () => {
    const sender = recordingSender('telegram', f.scheduler, (_d, _a, attempt) => {
      if (attempt === 1) throw new RetryLaterError(f.scheduler.now() + 7_500, 'Too Many Requests: retry after 8');
    });
    const o = f.outbox([sender], { digest: false });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.attempts === 1);
    expect(f.store.rows[0]).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T0 + 7_500, lastError: 'Too Many Requests: retry after 8' });
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(7_500);
    expect(f.store.rows[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries a 429 whose retryAt already passed one millisecond later, not at once', async () => {
    const sender = recordingSender('telegram', f.scheduler, (_d, _a, attempt) => {
      if (attempt === 1) throw new RetryLaterError(f.scheduler.now() - 5_000);
    });
    const o = f.outbox([sender], { digest: false, pacing: noPacing });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.attempts === 1);
    expect(f.store.rows[0]).toMatchObject({ nextAttemptAt: T0 + 1, lastError: 'rate limited by the platform' });
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at).toBe(T0 + 1);
  });

  it('marks an undeliverable alert dead at once with the reason and sends the next one', async () => {
    const sender = recordingSender('line', f.scheduler, (_d, alert) => {
      if (alert.body.title === 'alert 1') throw new PermanentDeliveryError('line: the bot was blocked');
    });
    const o = f.outbox([sender], { digest: false, pacing: noPacing });
    await f.queue('line', 'U1', [testAlert(1), testAlert(2)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.attempts).toBe(2);
    expect(f.store.rows[0]).toMatchObject({ status: 'dead', attempts: 1, lastError: 'line: the bot was blocked' });
    expect(sender.delivered[0]).toMatchObject({ at: T0 });
  });

  it('counts a send hanging 30 s as failed by default, with the timeout as the reason', async () => {
    const sender = recordingSender('telegram', f.scheduler, () => new Promise<void>(() => {}));
    const o = f.outbox([sender], { digest: false, backoff: { maxAttempts: 1 } });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await settle();
    expect(sender.attempts).toBe(1);
    f.scheduler.advanceTo(T0 + 29_999);
    await settle();
    expect(f.store.rows[0]!.status).toBe('pending');
    f.scheduler.advanceTo(T0 + 30_000);
    await runUntil(o, f.scheduler, () => f.store.rows[0]!.status === 'dead');
    expect(f.store.rows[0]!.lastError).toBe('gave up after 1 attempts: send timed out after 30000 ms');
  });

  it('retries a hung send after sendTimeoutMs plus the backoff', async () => {
    const sender = recordingSender('telegram', f.scheduler, (_d, _a, attempt) => (attempt === 1 ? new Promise<void>(() => {}) : undefined));
    const o = f.outbox([sender], { digest: false, sendTimeoutMs: 5_000 });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await settle();
    f.scheduler.advanceTo(T0 + 5_000);
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(5_000 + 2_000);
  });

  it('a send that fails fast leaves no timeout timer behind', async () => {
    const gate = deferred();
    const sender = recordingSender('telegram', f.scheduler, async (_d, _a, attempt) => {
      if (attempt === 1) throw new PermanentDeliveryError('chat not found');
      await gate.promise;
    });
    const o = f.outbox([sender], { digest: false, pollIntervalMs: 3_600_000, pacing: noPacing });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows[0]!.status === 'dead');
    // Only the poll timer is left: the send's 30 s timer was cancelled when it failed.
    expect(f.scheduler.pending).toBe(1);
    expect(f.scheduler.nextAt()).toBe(T0 + 3_600_000);
    gate.resolve();
  });

  it('tries the destination again baseMs after its database read failed', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false, backoff: { baseMs: 750 } });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    f.scheduler.advanceTo(T0 + 10_000);
    await f.queue('telegram', '1', [testAlert(2)]);
    f.store.failNext.add('pendingFor');
    o.notify('telegram', '1');
    await runUntil(o, f.scheduler, () => sender.delivered.length === 2);
    expect(sender.delivered[1]!.at - T0).toBe(10_750);
  });
});
