import type { AlertStore } from '../../ports/alert-store.ts';
import type { Db } from './client.ts';
import { insertOutbox, markDead, markRetry, markSent, pendingDestinations, pendingFor } from './repositories/alert-outbox.ts';
import { listAlertSettings } from './repositories/alert-settings.ts';

/** The alert fan-out's and outbox's storage port over the database (PGlite or PostgreSQL). */
export function createDbAlertStore(db: Db): AlertStore {
  return {
    outbox: {
      insert: (items) => insertOutbox(db, items),
      pendingDestinations: (channels) => pendingDestinations(db, channels),
      pendingFor: (channel, destination, limit) => pendingFor(db, channel, destination, limit),
      markSent: (ids, sentAt) => markSent(db, ids, sentAt),
      markRetry: (ids, nextAttemptAt, error, countAttempt) => markRetry(db, ids, nextAttemptAt, error, countAttempt),
      markDead: (ids, reason) => markDead(db, ids, reason),
    },
    listAlertSettings: () => listAlertSettings(db),
  };
}
