import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { alertOutbox, orders } from '../schema.ts';

/** Orders per status (one grouped count, for /metrics). */
export async function orderCountsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ status: orders.status, n: sql<number>`count(*)::int` }).from(orders).groupBy(orders.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Undelivered alerts and the creation time of the oldest (undefined when none wait). */
export async function outboxBacklog(db: Db): Promise<{ depth: number; oldestCreatedAt?: number }> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${alertOutbox.createdAt})` })
    .from(alertOutbox)
    .where(eq(alertOutbox.status, 'pending'));
  return { depth: Number(row?.n ?? 0), oldestCreatedAt: row?.oldest == null ? undefined : Number(row.oldest) };
}
