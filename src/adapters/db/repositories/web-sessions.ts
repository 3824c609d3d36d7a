import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { webSessions } from '../schema.ts';

export type WebTokenKind = 'link' | 'session';

export interface WebTokenRow {
  id: number;
  kind: WebTokenKind;
  platform: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  usedAt?: number;
  revokedAt?: number;
}

const row = (r: typeof webSessions.$inferSelect): WebTokenRow => ({
  id: r.id,
  kind: r.kind as WebTokenKind,
  platform: r.platform,
  userId: r.userId,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  usedAt: r.usedAt ?? undefined,
  revokedAt: r.revokedAt ?? undefined,
});

/** Dashboard links and sessions, stored by token hash (the token itself never reaches the database). */
export const webSessionsRepo = {
  async insert(db: Db, r: { tokenHash: string; kind: WebTokenKind; platform: string; userId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await db.insert(webSessions).values(r);
  },

  async find(db: Db, tokenHash: string): Promise<WebTokenRow | undefined> {
    const [r] = await db.select().from(webSessions).where(eq(webSessions.tokenHash, tokenHash)).limit(1);
    return r ? row(r) : undefined;
  },

  /** Mark an unused, unrevoked, unexpired link used; false when someone else got there first (compare-and-set). */
  async useLink(db: Db, tokenHash: string, at: number): Promise<WebTokenRow | undefined> {
    const [r] = await db
      .update(webSessions)
      .set({ usedAt: at })
      .where(and(eq(webSessions.tokenHash, tokenHash), eq(webSessions.kind, 'link'), isNull(webSessions.usedAt), isNull(webSessions.revokedAt), gt(webSessions.expiresAt, at)))
      .returning();
    return r ? row(r) : undefined;
  },

  /** Revoke every live session and unused link of a user; returns how many there were. */
  async revokeUser(db: Db, platform: string, userId: string, at: number): Promise<number> {
    const rows = await db
      .update(webSessions)
      .set({ revokedAt: at })
      .where(
        and(
          eq(webSessions.platform, platform),
          eq(webSessions.userId, userId),
          isNull(webSessions.revokedAt),
          gt(webSessions.expiresAt, at),
          or(eq(webSessions.kind, 'session'), isNull(webSessions.usedAt)),
        ),
      )
      .returning({ id: webSessions.id });
    return rows.length;
  },

  async revoke(db: Db, tokenHash: string, at: number): Promise<void> {
    await db.update(webSessions).set({ revokedAt: at }).where(eq(webSessions.tokenHash, tokenHash));
  },

  /** Drop rows that expired or were revoked before `before`. */
  async prune(db: Db, before: number): Promise<void> {
    await db.delete(webSessions).where(or(lt(webSessions.expiresAt, before), lt(webSessions.revokedAt, before)));
  },
};
