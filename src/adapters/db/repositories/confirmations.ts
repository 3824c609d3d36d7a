import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { confirmations } from '../schema.ts';
import type { ConfirmationRecord, ConfirmationStatus } from '../../../ports/chat-store.ts';

export type { ConfirmationRecord, ConfirmationStatus };

type Row = typeof confirmations.$inferSelect;

function toRecord(r: Row): ConfirmationRecord {
  return {
    code: r.code,
    platform: r.platform,
    userId: r.userId,
    chatId: r.chatId ?? undefined,
    command: r.command,
    args: (r.args ?? {}) as Record<string, unknown>,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    status: r.status as ConfirmationStatus,
  };
}

/** Store a new pending confirmation. False when the code is already taken (the caller draws another). */
export async function insertConfirmation(db: Db, c: Omit<ConfirmationRecord, 'status'>): Promise<boolean> {
  const inserted = await db
    .insert(confirmations)
    .values({ ...c, chatId: c.chatId ?? null, status: 'pending' })
    .onConflictDoNothing()
    .returning({ code: confirmations.code });
  return inserted.length === 1;
}

export async function findConfirmation(db: Db, code: string): Promise<ConfirmationRecord | undefined> {
  const rows = await db.select().from(confirmations).where(eq(confirmations.code, code)).limit(1);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * Move a *pending* confirmation to `to`. Returns false when it was no longer pending — the
 * compare-and-set is what makes a code single-use when two taps race.
 */
export async function settleConfirmation(db: Db, code: string, to: Exclude<ConfirmationStatus, 'pending'>): Promise<boolean> {
  const changed = await db
    .update(confirmations)
    .set({ status: to })
    .where(and(eq(confirmations.code, code), eq(confirmations.status, 'pending')))
    .returning({ code: confirmations.code });
  return changed.length === 1;
}

/** Delete confirmations that expired before `before` (they are audited; the row is not needed). */
export async function pruneConfirmations(db: Db, before: number): Promise<number> {
  const gone = await db.delete(confirmations).where(lt(confirmations.expiresAt, before)).returning({ code: confirmations.code });
  return gone.length;
}
