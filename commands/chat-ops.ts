import type { AlertChannel, AlertLevel } from '../src/alerts/alert.ts';
import type { Reply } from './reply.ts';

/**
 * What the router itself offers command handlers, next to BotServices: the records chat-ops owns
 * (audit log, alert settings) and the confirmation flow. The router builds one per command over its
 * repositories, so handlers still never touch the database.
 */
export interface ChatOps {
  audit: {
    /** Most recent entries first. */
    recent(limit: number): Promise<AuditEntryView[]>;
  };
  alerts: {
    /** Every alert type that can be configured. */
    readonly types: readonly string[];
    readonly channels: readonly AlertChannel[];
    /** Effective level of every type on every channel, and where it comes from. */
    effective(): Promise<AlertSettingView[]>;
    /** Set a level for one channel or all (`*`). */
    set(type: string, level: AlertLevel, channel: AlertChannel | '*'): Promise<void>;
  };
  confirmations: {
    /** Run the command a code stands for; refuses expired, used, cancelled and other users' codes. */
    confirm(code: string): Promise<Reply>;
    cancel(code: string): Promise<Reply>;
  };
}

export interface AuditEntryView {
  id: number;
  ts: number;
  platform: string;
  userId: string;
  chatId?: string;
  command: string;
  args?: unknown;
  role?: string;
  decision: string;
  result?: string;
  durationMs?: number;
}

export interface AlertSettingView {
  type: string;
  channel: AlertChannel;
  level: AlertLevel;
  /** `channel`: set for this channel; `all`: set for every channel; `default`: nothing set. */
  source: 'channel' | 'all' | 'default';
}
