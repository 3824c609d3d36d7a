import type { z } from 'zod';
import type { ChatPlatformName } from '../src/chat-platforms.ts';
import type { Logger } from '../src/logger.ts';
import type { ChatOps } from './chat-ops.ts';
import type { Reply } from './reply.ts';
import type { BotServices } from './services.ts';

/** viewer < trader < admin. */
export type Role = 'viewer' | 'trader' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

/** A chat platform (src/chat-platforms.ts, the one list), the HTTP webhooks, or `web`: the dashboard
 * acting for a chat user (its userId is that user's `platform:id`). */
export type Platform = ChatPlatformName | 'http' | 'web';

/** Who is asking, where. Transports fill it from the platform's update. */
export interface Caller {
  platform: Platform;
  userId: string;
  chatId?: string;
  displayName?: string;
}

export interface CommandContext {
  caller: Caller;
  /** Undefined for unknown users (only commands with `public: true` run for them). */
  role?: Role;
  services: BotServices;
  logger: Logger;
  now(): number;
  /** Long commands report progress; transports edit their message where the platform allows it. */
  progress(text: string): Promise<void>;
  /** Every registered command (`/help`). Filled by the router. */
  commands?: readonly Command[];
  /** Audit log, alert settings and confirmations (`/audit`, `/alerts`, `/confirm`). Filled by the router. */
  chatOps?: ChatOps;
}

/**
 * One chat command, written once for every platform. `args` is a zod schema over the parsed
 * arguments object (see commands/args.ts for how a line of text becomes that object); Discord slash
 * options are generated from it.
 */
export interface Command<A extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Positional usage shown in help, e.g. `STRATEGY SYMBOL TIMEFRAME [FROM] [TO] [k=v …]`. */
  usage?: string;
  examples?: string[];
  /**
   * Ordered positional argument names mapped onto the schema's keys. A last name written `...key`
   * collects the remaining words (`/pause market looks thin` → `reason: 'market looks thin'`).
   */
  positional?: string[];
  /** Argument keys never written to the audit log or the confirmations table (replaced by `[REDACTED]`). */
  sensitive?: string[];
  args: A;
  role: Role;
  /** Answered to unknown users too (`/whoami`, `/help`). */
  public?: boolean;
  /** Destructive: answer first with what will happen and Confirm/Cancel. */
  confirm?: (args: z.infer<A>, ctx: CommandContext) => string | Promise<string>;
  /**
   * Trades or changes trading (orders, the trading state, reconciliation): only the leader process
   * runs it; a standby answers that it is a standby and runs nothing (commands/leader-only.ts).
   */
  leaderOnly?: boolean;
  /** Slow (backtest): Discord defers, others get an immediate "working" answer. */
  slow?: boolean;
  /** Another name for the command named here (`/stopentry` → `pause`): help lists it with its target. */
  aliasOf?: string;
  run(ctx: CommandContext, args: z.infer<A>): Promise<Reply>;
}
