import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Alert, AlertChannel, AlertSeverity } from '../../../alerts/alert.ts';
import type { Db } from '../client.ts';
import { alertOutbox } from '../schema.ts';
import { scrubSecrets } from '../../../logger.ts';
import { queuedAlert } from '../../../alerts/priority.ts';
import type { OutboxInsert, OutboxRow, OutboxStatus } from '../../../ports/alert-store.ts';

export type { OutboxInsert, OutboxRow, OutboxStatus };

type Row = typeof alertOutbox.$inferSelect;

function toRow(r: Row): OutboxRow {
  return {
    id: r.id,
    createdAt: r.createdAt,
    channel: r.channel as AlertChannel,
    destination: r.destination,
    type: r.type,
    severity: r.severity as AlertSeverity,
    silent: r.silent,
    alert: r.payload as Alert,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
    sentAt: r.sentAt ?? undefined,
    lastError: r.lastError ?? undefined,
  };
}

/** Queue alerts (one row per destination) in one statement; ids ascend in the given order. */
export async function insertOutbox(db: Db, items: OutboxInsert[]): Promise<number[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insert(alertOutbox)
    .values(
      items.map((i) => ({
        createdAt: i.alert.createdAt,
        channel: i.channel,
        destination: i.destination,
        type: i.alert.type,
        severity: i.alert.severity,
        silent: i.alert.silent,
        // Delivery class and queue time travel with the row: the outbox orders and digests by them.
        payload: queuedAlert(i.alert, i.nextAttemptAt),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: i.nextAttemptAt,
      })),
    )
    .returning({ id: alertOutbox.id });
  return rows.map((r) => r.id);
}

/** Critical rows (payload `priority`, set by the fan-out) sort before the rest. */
const criticalFirst = sql`case when ${alertOutbox.payload}->>'priority' = 'critical' then 0 else 1 end`;

/**
 * The pending rows of one destination in delivery order: critical ones first, then the rest, each
 * class in id (queue) order.
 */
export async function pendingFor(db: Db, channel: AlertChannel, destination: string, limit: number): Promise<OutboxRow[]> {
  const rows = await db
    .select()
    .from(alertOutbox)
    .where(and(eq(alertOutbox.status, 'pending'), eq(alertOutbox.channel, channel), eq(alertOutbox.destination, destination)))
    .orderBy(criticalFirst, asc(alertOutbox.id))
    .limit(limit);
  return rows.map(toRow);
}

/** Destinations with something pending, for the given channels (start-up and polling). */
export async function pendingDestinations(db: Db, channels: readonly AlertChannel[]): Promise<Array<{ channel: AlertChannel; destination: string }>> {
  if (channels.length === 0) return [];
  const rows = await db
    .selectDistinct({ channel: alertOutbox.channel, destination: alertOutbox.destination })
    .from(alertOutbox)
    .where(and(eq(alertOutbox.status, 'pending'), inArray(alertOutbox.channel, [...channels])));
  return rows.map((r) => ({ channel: r.channel as AlertChannel, destination: r.destination }));
}

/** Mark rows delivered — only ever after the platform accepted the message. */
export async function markSent(db: Db, ids: number[], sentAt: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({ status: 'sent', sentAt, attempts: sql`${alertOutbox.attempts} + 1`, lastError: null })
    .where(and(inArray(alertOutbox.id, ids), eq(alertOutbox.status, 'pending')));
}

/** A failed attempt: count it and set when to try again. */
export async function markRetry(db: Db, ids: number[], nextAttemptAt: number, error: string, countAttempt = true): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({
      nextAttemptAt,
      // Platform errors carry request URLs (a Telegram URL holds the bot token): scrub before storing.
      lastError: scrubSecrets(error).slice(0, 500),
      attempts: countAttempt ? sql`${alertOutbox.attempts} + 1` : alertOutbox.attempts,
    })
    .where(and(inArray(alertOutbox.id, ids), eq(alertOutbox.status, 'pending')));
}

/** Give up on rows: they stay in the table with the reason, for /health and inspection. */
export async function markDead(db: Db, ids: number[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({ status: 'dead', lastError: scrubSecrets(reason).slice(0, 500), attempts: sql`${alertOutbox.attempts} + 1` })
    .where(and(inArray(alertOutbox.id, ids), eq(alertOutbox.status, 'pending')));
}

/** Rows per status (health, tests). */
export async function outboxCounts(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .select({ status: alertOutbox.status, n: sql<number>`count(*)::int` })
    .from(alertOutbox)
    .groupBy(alertOutbox.status);
  const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) out[r.status as OutboxStatus] = Number(r.n);
  return out;
}

/** All rows of one destination in id order (inspection and tests). */
export async function outboxRowsFor(db: Db, channel: AlertChannel, destination: string): Promise<OutboxRow[]> {
  const rows = await db
    .select()
    .from(alertOutbox)
    .where(and(eq(alertOutbox.channel, channel), eq(alertOutbox.destination, destination)))
    .orderBy(asc(alertOutbox.id));
  return rows.map(toRow);
}

/** Delete delivered rows older than `before` (retention); pending and dead rows are kept. */
export async function pruneSent(db: Db, before: number): Promise<number> {
  const gone = await db
    .delete(alertOutbox)
    .where(and(eq(alertOutbox.status, 'sent'), lt(alertOutbox.createdAt, before)))
    .returning({ id: alertOutbox.id });
  return gone.length;
}
