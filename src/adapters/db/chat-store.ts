import type { ChatStore } from '../../ports/chat-store.ts';
import type { Db } from './client.ts';
import { listAlertSettings, upsertAlertSetting } from './repositories/alert-settings.ts';
import { insertAudit, recentAudit } from './repositories/audit-log.ts';
import { pruneChatUpdates, recordChatUpdate } from './repositories/chat-updates.ts';
import { findConfirmation, insertConfirmation, pruneConfirmations, settleConfirmation } from './repositories/confirmations.ts';

/** The command core's storage port over the database (PGlite or PostgreSQL). */
export function createDbChatStore(db: Db): ChatStore {
  return {
    audit: {
      insert: (row) => insertAudit(db, row),
      recent: (limit) => recentAudit(db, limit),
    },
    deliveries: {
      record: (platform, id, at) => recordChatUpdate(db, platform, id, at),
      async prune(before) {
        await pruneChatUpdates(db, before);
      },
    },
    confirmations: {
      insert: (c) => insertConfirmation(db, c),
      find: (code) => findConfirmation(db, code),
      settle: (code, to) => settleConfirmation(db, code, to),
      async prune(before) {
        await pruneConfirmations(db, before);
      },
    },
    alertSettings: {
      list: () => listAlertSettings(db),
      upsert: (row) => upsertAlertSetting(db, row),
    },
  };
}
