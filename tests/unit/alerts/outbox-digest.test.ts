import { afterEach, describe, expect, it } from 'vitest';
import { recordingSender, runUntil, testAlert, titles } from '../../integration/alerts/support/outbox-harness.ts';
import { T0, outboxFixture } from './support/outbox-fixture.ts';

/** Which waiting alerts the outbox folds into one digest, and what it reports per message sent. */
describe('alert outbox digests', () => {
  let f = outboxFixture();
  afterEach(async () => {
    await f.stopAll();
    f = outboxFixture();
  });
  const noPacing = () => ({ minIntervalMs: 0 });
  const many = (n: number, over: Parameters<typeof testAlert>[1] = {}) => Array.from({ length: n }, (_, i) => testAlert(i + 1, over));

  it('by default folds a backlog whose oldest alert waited 30 s, not one that waited less', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender]);
    await f.queue('telegram', 'old', many(5, { queuedAt: T0 - 30_000 }));
    await f.queue('telegram', 'young', many(5, { queuedAt: T0 - 29_999 }));
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    const old = sender.delivered.filter((d) => d.destination === 'old');
    expect(old).toHaveLength(1);
    expect(old[0]!.alert.body.title).toMatch(/^Digest: 5 alerts /);
    // The young backlog: its oldest goes alone; a second later the rest waited 30 s and fold.
    const young = sender.delivered.filter((d) => d.destination === 'young');
    expect(titles(young)[0]).toBe('alert 1');
    expect(titles(young)[1]).toMatch(/^Digest: 4 alerts /);
  });

  it('by default sends up to 20 young alerts one by one and folds 21', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing });
    await f.queue('telegram', 'twenty', many(20));
    await f.queue('telegram', 'more', many(21));
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    expect(f.sent.map((s) => s.alerts)).toContain(21);
    expect(sender.delivered.filter((d) => d.destination === 'twenty')).toHaveLength(20);
  });

  it('a partial digest setting keeps the other defaults; digest false sends every alert alone', async () => {
    const folding = recordingSender('telegram', f.scheduler);
    const o = f.outbox([folding], { pacing: noPacing, digest: { maxBacklog: 2 } });
    await f.queue('telegram', '1', many(3));
    await o.start();
    await runUntil(o, f.scheduler, () => folding.delivered.length === 1);
    expect(folding.delivered[0]!.alert.body.title).toMatch(/^Digest: 3 alerts /);
    // maxLines stays 12: a digest of 3 lists all three after the counts.
    expect(folding.delivered[0]!.alert.body.text).toHaveLength(4);
    await f.stopAll();

    const g = outboxFixture();
    const single = recordingSender('telegram', g.scheduler);
    const p = g.outbox([single], { pacing: noPacing, digest: false });
    await g.queue('telegram', '1', many(30, { queuedAt: T0 - 60_000 }));
    await p.start();
    await runUntil(p, g.scheduler, () => single.delivered.length === 30);
    expect(g.sent.every((s) => s.alerts === 1)).toBe(true);
    await g.stopAll();
  });

  it('puts at most maxAlerts into one digest; the rest follow in the next', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing, digest: { maxAlerts: 25, afterMs: 0 } });
    await f.queue('telegram', '1', many(30));
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    expect(f.sent.map((s) => s.alerts)).toEqual([25, 5]);
  });

  it('treats a full read of 50 rows as a long backlog and reads up to maxAlerts for the digest', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing, digest: { maxBacklog: 55 } });
    await f.queue('telegram', '1', many(60));
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    expect(f.sent.map((s) => s.alerts)).toEqual([60]);
    expect(f.store.reads).toContain(500);
  });

  it('folds only rows that are due: a row waiting for its retry time stays out of the digest', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing, digest: { afterMs: 0 } });
    await f.queue('telegram', '1', [testAlert(1)]);
    await f.queue('telegram', '1', [testAlert(2), testAlert(3)], T0 + 60_000);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 2);
    expect(titles(sender.delivered)[0]).toBe('alert 1');
    expect(sender.delivered.map((d) => d.at - T0)).toEqual([0, 60_000]);
    expect(f.sent.map((s) => s.alerts)).toEqual([1, 2]);
  });

  it('after a full read, folds only the due rows of the longer read', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing });
    await f.queue('telegram', '1', many(50));
    await f.queue('telegram', '1', many(5), T0 + 60_000);
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    expect(f.sent.map((s) => s.alerts)).toEqual([50, 1, 1, 1, 1, 1]);
  });

  it('never folds critical alerts: each goes alone, ahead of the backlog', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const o = f.outbox([sender], { pacing: noPacing, digest: { afterMs: 0 } });
    await f.queue('telegram', '1', many(3));
    await f.queue('telegram', '1', [testAlert(10, { type: 'killall' }), testAlert(11, { severity: 'critical' })]);
    await o.start();
    await runUntil(o, f.scheduler, () => f.store.rows.every((r) => r.status === 'sent'));
    expect(titles(sender.delivered).slice(0, 2)).toEqual(['alert 10', 'alert 11']);
    expect(f.sent).toEqual([
      { channel: 'telegram', critical: true, alerts: 1, waitedMs: 0 },
      { channel: 'telegram', critical: true, alerts: 1, waitedMs: 0 },
      { channel: 'telegram', critical: false, alerts: 3, waitedMs: 0 },
    ]);
  });

  it('reports how long the first alert of a message waited since it was queued, never less than zero', async () => {
    const sender = recordingSender('discord', f.scheduler);
    const o = f.outbox([sender], { digest: false });
    await f.queue('discord', 'c', [testAlert(1, { queuedAt: T0 - 4_000 }), testAlert(2, { queuedAt: T0 + 50_000 })]);
    await o.start();
    await runUntil(o, f.scheduler, () => sender.delivered.length === 2);
    expect(f.sent.map((s) => s.waitedMs)).toEqual([4_000, 0]);
    expect(f.sent[0]).toMatchObject({ channel: 'discord', critical: false, alerts: 1 });
  });
});
