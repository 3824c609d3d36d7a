import type { Caller, Command } from './command.ts';
import type { Reply } from './reply.ts';

/** One command as a transport received it. */
export interface InboundCommand {
  caller: Caller;
  /**
   * The line typed or sent by a button: `/status`, `status` (LINE, console), `/backtest sma-cross
   * BTC/USDT 1h 2024-01-01`, `/confirm 4F7K2Q`. Telegram's `/cmd@BotName` form is accepted.
   */
  text: string;
  /** Structured options (Discord slash commands): used instead of parsing `text` arguments. */
  options?: Record<string, unknown>;
  /** Platform delivery id (Telegram update_id, Discord interaction id, LINE webhookEventId): a redelivery runs once. */
  deliveryId?: string;
  /** Where progress of slow commands goes (message edits); default: ignored. */
  progress?: (text: string) => Promise<void>;
}

export interface CommandRouter {
  readonly commands: readonly Command[];
  /**
   * Authenticate, authorise, rate-limit, validate, confirm-or-run, audit. Never throws: every
   * failure becomes a Reply. `undefined` = nothing to send (a duplicate delivery, or an unknown
   * user beyond the refusal rate limit).
   */
  handle(input: InboundCommand): Promise<Reply | undefined>;
  /** Whether the caller is on the allow-list (CHAT_USERS, or a platform with a fixed role): what strangers are shown nothing of. */
  knows(caller: Pick<Caller, 'platform' | 'userId'>): boolean;
}
