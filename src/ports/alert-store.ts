import type { Alert, AlertChannel, AlertSeverity } from '../alerts/alert.ts';
import type { AlertSettingRow } from './chat-store.ts';

/**
 * What the alert fan-out and outbox (src/alerts/) store, as a port: the persisted outbox (one row per
 * alert and destination) and the `/alerts` level settings. The composition root passes the database
 * implementation (src/adapters/db/alert-store.ts); alerts/ imports no adapter.
 */

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxInsert {
  channel: AlertChannel;
  destination: string;
  alert: Alert;
  /** Earliest delivery time (normally the creation time). */
  nextAttemptAt: number;
}

export interface OutboxRow {
  id: number;
  createdAt: number;
  channel: AlertChannel;
  destination: string;
  type: string;
  severity: AlertSeverity;
  silent: boolean;
  alert: Alert;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  sentAt?: number;
  lastError?: string;
}

export interface AlertStore {
  outbox: {
    /** Queue alerts (one row per destination) at once; ids ascend in the given order. */
    insert(items: OutboxInsert[]): Promise<number[]>;
    /** Destinations with something pending, for the given channels (start-up and polling). */
    pendingDestinations(channels: readonly AlertChannel[]): Promise<Array<{ channel: AlertChannel; destination: string }>>;
    /** Pending rows of one destination in delivery order: critical first, then queue order. */
    pendingFor(channel: AlertChannel, destination: string, limit: number): Promise<OutboxRow[]>;
    /** Mark pending rows delivered — only ever after the platform accepted the message. */
    markSent(ids: number[], sentAt: number): Promise<void>;
    /** A failed attempt on pending rows: set when to try again, counting the attempt unless told not to. */
    markRetry(ids: number[], nextAttemptAt: number, error: string, countAttempt?: boolean): Promise<void>;
    /** Give up on pending rows: they stay stored with the reason. */
    markDead(ids: number[], reason: string): Promise<void>;
  };
  /** The `/alerts` level settings (per channel or `*`, per type). */
  listAlertSettings(): Promise<AlertSettingRow[]>;
}
