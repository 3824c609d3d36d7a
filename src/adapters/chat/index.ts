import type { Hono } from 'hono';
import type { CommandRouter } from '../../../commands/router-types.ts';
import type { BotServices } from '../../../commands/services.ts';
import type { AlertSender } from '../../alerts/alert.ts';
import type { Config } from '../../config.ts';
import type { EventBus } from '../../engine/bus.ts';
import { type Logger, registerSecrets } from '../../logger.ts';
import type { Database } from '../db/client.ts';
import { type ChartLinks, createChartLinks } from '../http/routes/chart-links.ts';
import { ButtonPayloads } from './render/button-payloads.ts';

export interface ChatDeps {
  config: Config;
  router: CommandRouter;
  services: BotServices;
  database: Database;
  logger: Logger;
  bus?: EventBus;
  /** Console streams (default stdin/stdout). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Chart links served by the HTTP server (LINE images); made from PUBLIC_URL when absent. */
  chartLinks?: ChartLinks;
  /** Timing knobs (tests and benchmarks); production uses the defaults. */
  timing?: { interimAfterMs?: number; minEditIntervalMs?: number; answerWithinMs?: number };
}

export interface Chat {
  /** Enabled platforms, e.g. `['telegram', 'line', 'console']`. */
  readonly platforms: string[];
  /** One alert sender per enabled platform that can send alerts. */
  readonly senders: AlertSender[];
  /** Adds the webhook routes of the enabled platforms and the chart route to the shared HTTP app. */
  mount(app: Hono): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Platform {
  name: string;
  sender?: AlertSender;
  mount?(app: Hono): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The chat side of the process: builds the platforms whose credentials are configured (their SDKs
 * are imported only then), shares one button-payload store and the chart links between them, and
 * starts/stops them independently — a platform that fails to start is logged and the others run.
 * Telegram webhook mode without a secret is refused.
 */
export async function createChat(deps: ChatDeps): Promise<Chat> {
  const { config } = deps;
  const log = deps.logger.child({ component: 'chat' });
  registerSecrets([config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET, config.DISCORD_BOT_TOKEN, config.LINE_CHANNEL_SECRET, config.LINE_CHANNEL_ACCESS_TOKEN, config.DISCORD_WEBHOOK_URL]);
  const payloads = new ButtonPayloads();
  const chartLinks = deps.chartLinks ?? createChartLinks({ publicUrl: config.PUBLIC_URL });
  const timing = deps.timing ?? {};
  const platforms: Platform[] = [];

  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET: webhook mode (TELEGRAM_WEBHOOK_URL set) requires a secret token');
  }

  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChat } = await import('./telegram/telegram-chat.ts');
    const t = createTelegramChat({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      router: deps.router,
      backtests: deps.services.backtests,
      logger: log,
      payloads,
      interimAfterMs: timing.interimAfterMs,
      minEditIntervalMs: timing.minEditIntervalMs,
    });
    platforms.push({ name: 'telegram', sender: t.sender, mount: (app) => t.mount(app), start: () => t.start(), stop: () => t.stop() });
  }

  if (config.DISCORD_BOT_TOKEN || config.DISCORD_PUBLIC_KEY || config.DISCORD_WEBHOOK_URL) {
    const { createDiscordChat } = await import('./discord/discord-chat.ts');
    const { parseWebhookUrl } = await import('./discord/discord-alert-sender.ts');
    // REST error messages carry the webhook path (`/v10/webhooks/{id}/{token}`), not the configured URL.
    registerSecrets([parseWebhookUrl(config.DISCORD_WEBHOOK_URL ?? '')?.token]);
    const d = createDiscordChat({
      token: config.DISCORD_BOT_TOKEN,
      appId: config.DISCORD_APP_ID,
      publicKey: config.DISCORD_PUBLIC_KEY,
      guildId: config.DISCORD_GUILD_ID,
      apiUrl: config.DISCORD_API_URL,
      gateway: config.DISCORD_GATEWAY,
      webhookUrl: config.DISCORD_WEBHOOK_URL,
      router: deps.router,
      backtests: deps.services.backtests,
      logger: log,
      payloads,
      answerWithinMs: timing.answerWithinMs,
      minEditIntervalMs: timing.minEditIntervalMs,
    });
    // With a token the bot can post to the alert channel or open admins' DMs; a webhook needs no token.
    const canSend = Boolean(config.DISCORD_WEBHOOK_URL || config.DISCORD_BOT_TOKEN);
    platforms.push({ name: 'discord', sender: canSend ? d.sender : undefined, mount: (app) => d.mount(app), start: () => d.start(), stop: () => d.stop() });
  }

  if (config.LINE_CHANNEL_SECRET && config.LINE_CHANNEL_ACCESS_TOKEN) {
    const { createLineChat } = await import('./line/line-chat.ts');
    const l = createLineChat({
      channelSecret: config.LINE_CHANNEL_SECRET,
      channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN,
      apiUrl: config.LINE_API_URL,
      router: deps.router,
      backtests: deps.services.backtests,
      logger: log,
      payloads,
      chartLinks,
      interimAfterMs: timing.interimAfterMs,
    });
    platforms.push({ name: 'line', sender: l.sender, mount: (app) => l.mount(app), start: () => l.start(), stop: () => l.stop() });
  }

  const consolePlatform = await createConsolePlatform(deps, log);
  if (consolePlatform) platforms.push(consolePlatform);

  const running = new Set<Platform>();
  return {
    platforms: platforms.map((p) => p.name),
    senders: platforms.flatMap((p) => (p.sender ? [p.sender] : [])),
    mount(app) {
      for (const p of platforms) p.mount?.(app);
      if (chartLinks.enabled) chartLinks.mount(app);
    },
    async start() {
      await Promise.all(
        platforms.map(async (p) => {
          try {
            await p.start();
            running.add(p);
          } catch (err) {
            log.error({ err, platform: p.name }, 'chat platform failed to start; the others keep running');
            // A half-started platform may hold timers or sockets: release them.
            await p.stop().catch(() => {});
          }
        }),
      );
      log.info({ platforms: [...running].map((p) => p.name) }, 'chat started');
    },
    async stop() {
      await Promise.all(
        [...running].map(async (p) => {
          try {
            await p.stop();
          } catch (err) {
            log.warn({ err, platform: p.name }, 'chat platform did not stop cleanly');
          }
        }),
      );
      running.clear();
    },
  };
}

/** The console when CONSOLE=true, or CONSOLE=auto and the input is a terminal. */
async function createConsolePlatform(deps: ChatDeps, log: Logger): Promise<Platform | undefined> {
  const input = deps.input ?? process.stdin;
  const wanted = deps.config.CONSOLE === 'true' || (deps.config.CONSOLE === 'auto' && Boolean((input as { isTTY?: boolean }).isTTY));
  if (!wanted) return undefined;
  const { createConsoleChat } = await import('./console.ts');
  const c = createConsoleChat({ router: deps.router, input, output: deps.output ?? process.stdout, logger: log, backtests: deps.services.backtests });
  return {
    name: 'console',
    async start() {
      c.start();
    },
    stop: () => c.stop(),
  };
}
