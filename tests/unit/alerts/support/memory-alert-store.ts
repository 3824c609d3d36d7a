import type { AlertChannel } from '../../../../src/alerts/alert.ts';
import { queuedAlert } from '../../../../src/alerts/priority.ts';
import type { AlertStore, OutboxInsert, OutboxRow } from '../../../../src/ports/alert-store.ts';

/**
 * The alert store port in memory, with the database implementation's semantics (pending rows of a
 * destination critical first, then in id order; attempts counted on sent, dead and counted retries),
 * so the outbox's timing is tested in milliseconds. `failNext` makes the next call of a method throw
 * (a database error); `reads` records the limits the outbox asked pendingFor for.
 */
export interface MemoryAlertStore extends AlertStore {
  rows: OutboxRow[];
  reads: number[];
  failNext: Set<'pendingFor' | 'pendingDestinations'>;
  rowsFor(channel: AlertChannel, destination: string): OutboxRow[];
}

export function memoryAlertStore(): MemoryAlertStore {
  const rows: OutboxRow[] = [];
  const reads: number[] = [];
  const failNext = new Set<'pendingFor' | 'pendingDestinations'>();
  let nextId = 1;
  const fail = (what: 'pendingFor' | 'pendingDestinations') => {
    if (!failNext.delete(what)) return;
    throw new Error(`database unavailable (${what})`);
  };
  const pendingOf = (ids: number[]) => rows.filter((r) => ids.includes(r.id) && r.status === 'pending');
  const rank = (r: OutboxRow) => (r.alert.priority === 'critical' ? 0 : 1);
  const insert = async (items: OutboxInsert[]) =>
    items.map((i) => {
      const alert = queuedAlert(i.alert, i.nextAttemptAt);
      const row: OutboxRow = {
        id: nextId++,
        createdAt: i.alert.createdAt,
        channel: i.channel,
        destination: i.destination,
        type: i.alert.type,
        severity: i.alert.severity,
        silent: i.alert.silent,
        alert,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: i.nextAttemptAt,
      };
      rows.push(row);
      return row.id;
    });
  return {
    rows,
    reads,
    failNext,
    rowsFor: (channel, destination) => rows.filter((r) => r.channel === channel && r.destination === destination),
    outbox: {
      insert,
      async pendingDestinations(channels) {
        fail('pendingDestinations');
        const seen = new Map<string, { channel: AlertChannel; destination: string }>();
        for (const r of rows) if (r.status === 'pending' && channels.includes(r.channel)) seen.set(`${r.channel}\u0000${r.destination}`, { channel: r.channel, destination: r.destination });
        return [...seen.values()];
      },
      async pendingFor(channel, destination, limit) {
        fail('pendingFor');
        reads.push(limit);
        return rows
          .filter((r) => r.status === 'pending' && r.channel === channel && r.destination === destination)
          .sort((a, b) => rank(a) - rank(b) || a.id - b.id)
          .slice(0, limit)
          .map((r) => ({ ...r }));
      },
      async markSent(ids, sentAt) {
        for (const r of pendingOf(ids)) Object.assign(r, { status: 'sent', sentAt, attempts: r.attempts + 1, lastError: undefined });
      },
      async markRetry(ids, nextAttemptAt, error, countAttempt = true) {
        for (const r of pendingOf(ids)) Object.assign(r, { nextAttemptAt, lastError: error, attempts: countAttempt ? r.attempts + 1 : r.attempts });
      },
      async markDead(ids, reason) {
        for (const r of pendingOf(ids)) Object.assign(r, { status: 'dead', lastError: reason, attempts: r.attempts + 1 });
      },
    },
    async listAlertSettings() {
      return [];
    },
  };
}
