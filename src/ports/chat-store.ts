/**
 * What the command core (commands/router.ts and its helpers) stores, as a port: the audit log,
 * platform delivery ids (redelivery dedupe), confirmations and alert settings. The composition root
 * passes the database implementation (src/adapters/db/chat-store.ts); the core imports no adapter.
 */

/** What happened to a command: the audit log's `decision` column. */
export type AuditDecision =
  | 'allowed'
  | 'refused'
  | 'invalid'
  | 'rate_limited'
  | 'confirm_requested'
  | 'confirmed'
  | 'expired'
  | 'cancelled'
  | 'failed';

export interface AuditRecord {
  ts: number;
  platform: string;
  userId: string;
  chatId?: string;
  command: string;
  /** Already redacted by the caller: secrets never reach the store. */
  args?: unknown;
  role?: string;
  decision: AuditDecision;
  result?: string;
  durationMs?: number;
}

export interface AuditRow extends AuditRecord {
  id: number;
}

export type ConfirmationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

export interface ConfirmationRecord {
  code: string;
  platform: string;
  userId: string;
  chatId?: string;
  command: string;
  /** Raw (pre-validation) arguments, redacted of sensitive keys; validated again on confirm. */
  args: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  status: ConfirmationStatus;
}

export interface AlertSettingRow {
  /** An alert channel (platform name), or `*` for every channel. */
  channel: string;
  type: string;
  level: 'on' | 'silent' | 'off';
  updatedAt: number;
}

export interface ChatStore {
  audit: {
    /** Append one row (append-only). */
    insert(row: AuditRecord): Promise<void>;
    /** The newest `limit` rows, newest first. */
    recent(limit: number): Promise<AuditRow[]>;
  };
  deliveries: {
    /** True the first time a platform delivery id is seen, false for a redelivery (atomic). */
    record(platform: string, deliveryId: string, receivedAt: number): Promise<boolean>;
    /** Forget ids received before `before`. */
    prune(before: number): Promise<void>;
  };
  confirmations: {
    /** Store a pending confirmation; false when the code is taken (the caller draws another). */
    insert(c: Omit<ConfirmationRecord, 'status'>): Promise<boolean>;
    find(code: string): Promise<ConfirmationRecord | undefined>;
    /** Compare-and-set pending → `to`; false when it was no longer pending (single use). */
    settle(code: string, to: Exclude<ConfirmationStatus, 'pending'>): Promise<boolean>;
    /** Delete confirmations that expired before `before`. */
    prune(before: number): Promise<void>;
  };
  alertSettings: {
    list(): Promise<AlertSettingRow[]>;
    upsert(row: AlertSettingRow): Promise<void>;
  };
}
