import { afterEach, describe, expect, it } from 'vitest';
import { recordingSender, runUntil, testAlert, titles } from '../../integration/alerts/support/outbox-harness.ts';
import { T0, deferred, outboxFixture, settle } from './support/outbox-fixture.ts';

/** Starting, polling, notifying, waiting for idleness and stopping the outbox. */
describe('alert outbox lifecycle', () => {
  let f = outboxFixture();
  afterEach(async () => {
    await f.stopAll();
    f = outboxFixture();
  });
  const noPacing = () => ({ minIntervalMs: 0 });

  it('delivers rows written by someone else at the next poll, every 10 s by default', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false });
    await o.start();
    await f.queue('telegram', '1', [testAlert(1)]);
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(10_000);
    await f.queue('telegram', '2', [testAlert(2)]);
    await runUntil(o, f.scheduler, () => sender.delivered.length === 2);
    expect(sender.delivered[1]!.at - T0).toBe(20_000);
  });

  it('keeps polling after a failed poll', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false, pollIntervalMs: 5_000 });
    await f.queue('telegram', '1', [testAlert(1)]);
    f.store.failNext.add('pendingDestinations');
    await o.start();
    expect(sender.attempts).toBe(0);
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(sender.delivered[0]!.at - T0).toBe(5_000);
  });

  it('starts once: a second start neither polls again nor sets a second poll timer', async () => {
    const o = f.outbox([recordingSender('telegram', f.scheduler)]);
    await o.start();
    await o.start();
    expect(f.scheduler.pending).toBe(1);
  });

  it('ignores notifications before start and after stop; start delivers what is pending', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false, pacing: noPacing });
    await f.queue('telegram', '1', [testAlert(1)]);
    o.notify('telegram', '1');
    await settle();
    expect(sender.attempts).toBe(0);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    await o.stop();
    await f.queue('telegram', '1', [testAlert(2)]);
    o.notify('telegram', '1');
    await settle();
    f.scheduler.advance(60_000);
    await settle();
    expect(sender.attempts).toBe(1);
    expect(f.store.rows[1]!.status).toBe('pending');
  });

  it('leaves rows of a channel without a sender pending and stays idle', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false });
    await f.queue('discord', 'c', [testAlert(1)]);
    await o.start();
    o.notify('discord', 'c');
    await o.whenIdle();
    f.scheduler.advance(60_000);
    await o.whenIdle();
    expect(sender.attempts).toBe(0);
    expect(f.store.rows[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('stops cleanly when it was never started', async () => {
    const o = f.outbox([recordingSender('telegram', f.scheduler)]);
    await expect(o.stop()).resolves.toBeUndefined();
  });

  it('a notification wakes a destination waiting for rows; the platform window still paces the send', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { digest: false, pacing: () => ({ minIntervalMs: 0, window: { count: 1, ms: 60_000 } }) });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    // Waiting for new rows (no timer of its own): a notification makes it look at once.
    await f.queue('telegram', '1', [testAlert(2)]);
    o.notify('telegram', '1');
    await runUntil(o, f.scheduler, () => sender.delivered.length === 2);
    expect(sender.delivered[1]!.at - T0).toBe(60_000);
  });

  it('a critical alert queued during a failing send goes out without waiting for the backoff', async () => {
    let queued = false;
    const sender = recordingSender('telegram', f.scheduler, async (_d, alert) => {
      if (alert.body.title !== 'alert 1') return;
      if (!queued) {
        queued = true;
        await f.queue('telegram', '1', [testAlert(2, { type: 'killall' })]);
        o.notify('telegram', '1');
      }
      throw new Error('502 Bad Gateway');
    });
    const o = f.outbox([sender], { digest: false, pacing: noPacing });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 1);
    expect(titles(sender.delivered)).toEqual(['alert 2']);
    expect(sender.delivered[0]!.at).toBe(T0);
  });

  it('whenIdle(which) resolves while another destination is still sending; whenIdle() waits for it', async () => {
    const gate = deferred();
    const hanging = recordingSender('telegram', f.scheduler, () => gate.promise);
    const quick = recordingSender('discord', f.scheduler);
    const o = f.outbox([hanging, quick], { digest: false });
    await f.queue('telegram', '1', [testAlert(1)]);
    await f.queue('discord', 'c', [testAlert(2)]);
    await o.start();
    await o.whenIdle((channel) => channel === 'discord');
    expect(quick.delivered).toHaveLength(1);
    let idle = false;
    const all = o.whenIdle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    gate.resolve();
    await all;
    expect(hanging.delivered).toHaveLength(1);
  });

  it('stop waits for a send in flight, marks it sent, and leaves no timers and the rest pending', async () => {
    const gate = deferred();
    const sender = recordingSender('telegram', f.scheduler, (_d, alert) => (alert.body.title === 'alert 1' ? gate.promise : undefined));
    const o = f.outbox([sender], { digest: false, pacing: noPacing });
    await f.queue('telegram', '1', [testAlert(1), testAlert(2)]);
    await o.start();
    await settle();
    let stopped = false;
    const stopping = o.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(f.store.rows.map((r) => r.status)).toEqual(['sent', 'pending']);
    expect(sender.attempts).toBe(1);
    expect(f.scheduler.pending).toBe(0);
  });

  it('stop gives up on a hanging send after stopGraceMs and leaves its row pending', async () => {
    const sender = recordingSender('telegram', f.scheduler, () => new Promise<void>(() => {}));
    const o = f.outbox([sender], { digest: false, stopGraceMs: 40 });
    await f.queue('telegram', '1', [testAlert(1)]);
    await o.start();
    await settle();
    const from = performance.now();
    await o.stop();
    expect(performance.now() - from).toBeGreaterThanOrEqual(35);
    expect(sender.attempts).toBe(1);
    expect(f.store.rows[0]!.status).toBe('pending');
  });
});
