import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import type { AlertStore } from '../../src/ports/alert-store.ts';

const alert = (n: number, over: Partial<Alert> = {}): Alert => ({ type: 'strategy-message', severity: 'info', silent: false, createdAt: 1_000 + n, body: { title: `alert ${n}` }, ...over });

/**
 * What every AlertStore's outbox must do, whatever is behind it: the database implementation
 * (tests/integration/db/alert-store.test.ts, PGlite and PostgreSQL) and the in-memory one the outbox's
 * unit tests run on (tests/unit/alerts/memory-alert-store.test.ts) — so the outbox's timing tests
 * run against the same ordering and bookkeeping as production.
 */
export function describeAlertStoreContract(name: string, makeStore: () => Promise<{ store: AlertStore; done(): Promise<void> }>): void {
  describe(`AlertStore contract: ${name}`, () => {
    const withStore = (fn: (store: AlertStore) => Promise<void>) => async () => {
      const { store, done } = await makeStore();
      try {
        await fn(store);
      } finally {
        await done();
      }
    };

    it('queues rows with ascending ids and hands them out critical first, then in queue order, up to the limit', withStore(async (store) => {
      const ids = await store.outbox.insert([
        { channel: 'telegram', destination: '1', alert: alert(1), nextAttemptAt: 10 },
        { channel: 'telegram', destination: '1', alert: alert(2, { severity: 'critical', type: 'kill-all' }), nextAttemptAt: 11 },
        { channel: 'telegram', destination: '1', alert: alert(3), nextAttemptAt: 12 },
        { channel: 'telegram', destination: '2', alert: alert(4), nextAttemptAt: 13 },
        { channel: 'discord', destination: '1', alert: alert(5), nextAttemptAt: 14 },
      ]);
      expect(ids).toHaveLength(5);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(5);
      expect(await store.outbox.insert([])).toEqual([]);
      const rows = await store.outbox.pendingFor('telegram', '1', 10);
      expect(rows.map((r) => r.alert.body.title)).toEqual(['alert 2', 'alert 1', 'alert 3']);
      expect(rows[0]).toMatchObject({ id: ids[1], channel: 'telegram', destination: '1', type: 'kill-all', severity: 'critical', silent: false, status: 'pending', attempts: 0, nextAttemptAt: 11, createdAt: 1_002 });
      // The delivery class and queue time travel with the row.
      expect(rows[0]!.alert).toMatchObject({ priority: 'critical', queuedAt: 11 });
      expect(rows[1]!.alert).toMatchObject({ priority: 'normal', queuedAt: 10 });
      expect((await store.outbox.pendingFor('telegram', '1', 2)).map((r) => r.id)).toEqual([ids[1], ids[0]]);
      expect(await store.outbox.pendingFor('line', '1', 10)).toEqual([]);
    }));

    it('lists each destination with something pending once, for the channels asked', withStore(async (store) => {
      await store.outbox.insert([
        { channel: 'telegram', destination: '1', alert: alert(1), nextAttemptAt: 1 },
        { channel: 'telegram', destination: '1', alert: alert(2), nextAttemptAt: 1 },
        { channel: 'telegram', destination: '2', alert: alert(3), nextAttemptAt: 1 },
        { channel: 'discord', destination: 'c', alert: alert(4), nextAttemptAt: 1 },
      ]);
      const key = (d: { channel: string; destination: string }) => `${d.channel}:${d.destination}`;
      expect((await store.outbox.pendingDestinations(['telegram', 'discord'])).map(key).sort()).toEqual(['discord:c', 'telegram:1', 'telegram:2']);
      expect((await store.outbox.pendingDestinations(['discord'])).map(key)).toEqual(['discord:c']);
      expect(await store.outbox.pendingDestinations([])).toEqual([]);
    }));

    it('counts attempts on sent, dead and counted retries; a row no longer pending is never changed again', withStore(async (store) => {
      const [a, b, c, d] = await store.outbox.insert([1, 2, 3, 4].map((n) => ({ channel: 'telegram' as const, destination: '1', alert: alert(n), nextAttemptAt: 1 })));
      await store.outbox.markRetry([a!, b!], 500, 'timed out');
      await store.outbox.markRetry([b!], 900, '429 from the platform', false);
      let rows = await store.outbox.pendingFor('telegram', '1', 10);
      expect(rows.map((r) => [r.id, r.attempts, r.nextAttemptAt, r.lastError])).toEqual([
        [a, 1, 500, 'timed out'],
        [b, 1, 900, '429 from the platform'],
        [c, 0, 1, undefined],
        [d, 0, 1, undefined],
      ]);
      await store.outbox.markSent([a!], 600);
      await store.outbox.markDead([b!], 'chat not found');
      await store.outbox.markSent([], 700);
      await store.outbox.markDead([], 'nothing');
      await store.outbox.markRetry([], 1, 'nothing');
      rows = await store.outbox.pendingFor('telegram', '1', 10);
      expect(rows.map((r) => r.id)).toEqual([c, d]);
      // Sent and dead rows stay as they are: a late retry or resend of them changes nothing.
      await store.outbox.markRetry([a!, b!], 5_000, 'late');
      await store.outbox.markSent([b!], 800);
      expect((await store.outbox.pendingFor('telegram', '1', 10)).map((r) => r.id)).toEqual([c, d]);
      expect((await store.outbox.pendingDestinations(['telegram'])).length).toBe(1);
      await store.outbox.markSent([c!, d!], 900);
      expect(await store.outbox.pendingFor('telegram', '1', 10)).toEqual([]);
      expect(await store.outbox.pendingDestinations(['telegram'])).toEqual([]);
    }));
  });
}
