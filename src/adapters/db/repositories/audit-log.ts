import { desc } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auditLog } from '../schema.ts';

import type { AuditDecision, AuditRecord, AuditRow } from '../../../ports/chat-store.ts';

export type { AuditDecision, AuditRecord, AuditRow };

/** Append-only audit log of chat commands. Pass `tx` inside a transaction. */
export async function insertAudit(db: Db, r: AuditRecord): Promise<void> {
  await insertAudits(db, [r]);
}

/** Several audit entries in one statement (the webhook intake's group commit). */
export async function insertAudits(db: Db, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.insert(auditLog).values(
    records.map((r) => ({
      ts: r.ts,
      platform: r.platform,
      userId: r.userId,
      chatId: r.chatId ?? null,
      command: r.command,
      args: r.args === undefined ? null : r.args,
      role: r.role ?? null,
      decision: r.decision,
      result: r.result ?? null,
      durationMs: r.durationMs === undefined ? null : Math.max(0, Math.round(r.durationMs)),
    })),
  );
}

/** The newest `limit` entries, newest first. */
export async function recentAudit(db: Db, limit: number): Promise<AuditRow[]> {
  const rows = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    ts: r.ts,
    platform: r.platform,
    userId: r.userId,
    chatId: r.chatId ?? undefined,
    command: r.command,
    args: r.args ?? undefined,
    role: r.role ?? undefined,
    decision: r.decision as AuditDecision,
    result: r.result ?? undefined,
    durationMs: r.durationMs ?? undefined,
  }));
}
