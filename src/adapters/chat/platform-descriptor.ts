import type { Hono } from 'hono';
import type { Role } from '../../../commands/command.ts';
import type { Reply } from '../../../commands/reply.ts';
import type { CommandRouter } from '../../../commands/router-types.ts';
import type { BotServices } from '../../../commands/services.ts';
import type { AlertSender } from '../../alerts/alert.ts';
import type { PacingRule } from '../../alerts/pacing.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { ChartLinks } from '../http/routes/chart-links.ts';
import type { ButtonPayloads } from './render/button-payloads.ts';

/** What a platform's `create()` receives: the shared command core and the shared chat pieces. */
export interface ChatPlatformContext {
  config: Config;
  router: CommandRouter;
  services: BotServices;
  logger: Logger;
  /** One store of button payloads shared by every platform (a Confirm pressed anywhere resolves). */
  payloads: ButtonPayloads;
  /** Chart images served by the HTTP server (platforms that need image URLs). */
  chartLinks: ChartLinks;
  /** Console streams. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Timing knobs (tests and benchmarks); production uses the defaults. */
  timing: { interimAfterMs?: number; minEditIntervalMs?: number; answerWithinMs?: number };
}

/** A running platform: commands in (its SDK, webhook routes), alerts out (its sender). */
export interface ChatPlatformInstance {
  /** Delivers alerts to this platform's destinations; absent when the platform cannot send. */
  sender?: AlertSender;
  /** Adds the platform's webhook routes to the shared HTTP app. */
  mount?(app: Hono): void;
  /**
   * Send a reply into a chat outside any conversation — the result of a backtest that finished after
   * a restart goes to the chat it was requested from. Absent: such results reach people as alerts only.
   */
  deliver?(chatId: string, reply: Reply): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A chat platform as one plug-in (docs/chat-platforms.md). Everything the rest of the process needs to
 * know about a platform lives here; the descriptor module itself imports no SDK — `create()` loads
 * the platform's implementation lazily, so an unconfigured platform costs nothing.
 */
export interface ChatPlatformDescriptor<N extends string = string> {
  /** The platform's name: CHAT_USERS prefix, alert channel name, audit log `platform`. */
  readonly name: N;
  /** Shown to people (docs, /start). */
  readonly label: string;
  /** How its user ids look in CHAT_USERS; absent for platforms that are not on the allow-list. */
  readonly userId?: { pattern: RegExp; example: string };
  /** Everyone on this platform has this role (the console operator is admin). */
  readonly fixedRole?: Role;
  /**
   * Only one process may receive this platform's updates (Telegram long polling: a second poller
   * gets 409; a Discord gateway connection: every connection gets every interaction): it runs on the
   * leader only. Webhook platforms and the console run on standbys too, answering read-only commands.
   */
  exclusive?(config: Config): boolean;
  /** Whether the configuration turns it on (`interactive`: stdin is a terminal). */
  enabled(config: Config, env: { interactive: boolean }): boolean;
  /** Config values that must never reach a log line, an alert or the audit log. */
  secrets(config: Config): Array<string | undefined>;
  /** Alert destinations from the configuration; `admins` = this platform's admin ids from CHAT_USERS. */
  alertDestinations(config: Config, admins: readonly string[]): string[];
  /** How fast one destination may be sent to (platform limits, per destination). */
  pacing(destination: string): PacingRule;
  /** Build the platform (may throw a configuration error naming the variable). */
  create(ctx: ChatPlatformContext): Promise<ChatPlatformInstance>;
}
