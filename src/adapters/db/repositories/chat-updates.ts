import { lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { chatUpdates } from '../schema.ts';

/**
 * Record a platform delivery id. True the first time; false when it was seen before (a redelivered
 * Telegram update, Discord interaction or LINE webhook event). The primary key makes the check
 * atomic even when two deliveries race.
 */
export async function recordChatUpdate(db: Db, platform: string, updateId: string, receivedAt: number): Promise<boolean> {
  const inserted = await db
    .insert(chatUpdates)
    .values({ platform, updateId, receivedAt })
    .onConflictDoNothing()
    .returning({ updateId: chatUpdates.updateId });
  return inserted.length === 1;
}

/** Forget delivery ids received before `before`: platforms stop redelivering long before that. */
export async function pruneChatUpdates(db: Db, before: number): Promise<number> {
  const gone = await db.delete(chatUpdates).where(lt(chatUpdates.receivedAt, before)).returning({ updateId: chatUpdates.updateId });
  return gone.length;
}
