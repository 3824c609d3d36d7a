import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Hono } from 'hono';
import pino from 'pino';
import { COMMANDS } from '../../../../commands/index.ts';
import { createCommandRouter } from '../../../../commands/router.ts';
import type { CommandRouter, InboundCommand } from '../../../../commands/router-types.ts';
import { parseChatUsers } from '../../../../commands/users.ts';
import { type Chat, createChat } from '../../../../src/adapters/chat/index.ts';
import type { Database } from '../../../../src/adapters/db/client.ts';
import { type ChartLinks, createChartLinks } from '../../../../src/adapters/http/routes/chart-links.ts';
import { type HttpServer, startHttpServer } from '../../../../src/adapters/http/server.ts';
import { type Config, loadConfig } from '../../../../src/config.ts';
import { ManualClock } from '../../../../src/ports/clock.ts';
import { type DatabaseTarget, databaseTargets } from '../../../support/databases.ts';
import { createFakeServices, FAKE_T0, type FakeServices } from '../../../support/fake-services.ts';
import { DiscordStandIn } from '../../../support/standins/discord.ts';
import { LineStandIn, lineSignature } from '../../../support/standins/line.ts';
import { TelegramStandIn } from '../../../support/standins/telegram.ts';
import { createDbChatStore } from '../../../../src/adapters/db/chat-store.ts';
import { CHAT_PLATFORMS } from '../../../../src/chat-platforms.ts';

/** One migrated PGlite template per test file; each harness gets its own clone. */
let sharedTarget: DatabaseTarget | undefined;

/** Close the database template of this test file (call in a top-level afterAll). */
export async function closeDatabases(): Promise<void> {
  await sharedTarget?.cleanup();
  sharedTarget = undefined;
}

/** Users on the allow-list of every harness (CHAT_USERS), and strangers who are not. */
export const USERS = {
  telegram: { admin: 111111111, trader: 222222222, viewer: 333333333, stranger: 999999999 },
  discord: { admin: '80351110224678912', trader: '80351110224678913', viewer: '80351110224678914', stranger: '80351110224678999' },
  line: { admin: `U${'a'.repeat(32)}`, trader: `U${'b'.repeat(32)}`, viewer: `U${'c'.repeat(32)}`, stranger: `U${'d'.repeat(32)}` },
} as const;

const CHAT_USERS = (['telegram', 'discord', 'line'] as const)
  .flatMap((p) => (['admin', 'trader', 'viewer'] as const).map((role) => `${p}:${USERS[p][role]}=${role}`))
  .join(',');

export const DISCORD_APP_ID = '1200000000000000001';
export const DISCORD_GUILD_ID = '1200000000000000002';
export const LINE_SECRET = 'line-channel-secret-for-tests-0123456789';
export const TELEGRAM_SECRET = 'telegram-webhook-secret_0123456789';

export interface HarnessOptions {
  telegram?: 'polling' | 'webhook';
  discord?: boolean;
  line?: boolean;
  /** Serve charts under the HTTP server's own URL (PUBLIC_URL). */
  publicUrl?: boolean;
  env?: Record<string, string>;
}

export interface ChatHarness {
  config: Config;
  database: Database;
  services: FakeServices;
  clock: ManualClock;
  /** The real router, wrapped to record every call. */
  router: CommandRouter;
  handled: InboundCommand[];
  http: HttpServer;
  chat: Chat;
  chartLinks: ChartLinks;
  /** Moves the chart links' clock (expiry tests). */
  chartClock: { t: number };
  telegram?: TelegramStandIn;
  discord?: DiscordStandIn;
  line?: LineStandIn;
  discordKey: { publicHex: string; privateKey: KeyObject };
  /** Signed POST /interactions/discord; `timestamp` defaults to now. */
  postDiscord(payload: object, options?: { timestamp?: number; key?: KeyObject }): Promise<Response>;
  /** Signed POST /webhooks/line with the channel secret. */
  postLine(events: object[], options?: { secret?: string }): Promise<Response>;
  /** POST /webhooks/telegram with the secret header. */
  postTelegram(update: object, secret?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The chat side as production wires it: the real router over the real commands (fake services,
 * PGlite), the HTTP server, createChat with the configured platforms, and stand-ins of the platform
 * APIs on 127.0.0.1 reached by the real SDKs.
 */
export async function startChatHarness(options: HarnessOptions): Promise<ChatHarness> {
  sharedTarget ??= databaseTargets()[0];
  const database = await sharedTarget.open();
  const clock = new ManualClock(FAKE_T0);
  const services = createFakeServices(() => clock.now());
  const logger = pino({ level: process.env.CHAT_TEST_LOG ?? 'silent' });
  const telegram = options.telegram ? await new TelegramStandIn().start() : undefined;
  const discord = options.discord ? await new DiscordStandIn().start() : undefined;
  const line = options.line ? await new LineStandIn().start() : undefined;

  let appRef: Hono | undefined;
  // Bans and rate limits are tested in tests/integration/http; here each signature check must answer itself.
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, logger, readiness: [], hardening: { banAfter: 1e9, ratePerMinute: 1e9 }, mount: [(app) => (appRef = app)] });

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString('hex');

  const env: Record<string, string> = {
    CONSOLE: 'false',
    CHAT_USERS,
    COMMAND_RATE_LIMIT: '10000',
    DATA_DIR: 'memory://',
    ...(telegram ? { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_ALERT_CHAT_IDS: String(USERS.telegram.admin) } : {}),
    ...(options.telegram === 'webhook' ? { TELEGRAM_WEBHOOK_URL: `${http.url}/webhooks/telegram`, TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET } : {}),
    ...(discord
      ? {
          DISCORD_BOT_TOKEN: discord.botToken,
          DISCORD_APP_ID,
          DISCORD_PUBLIC_KEY: publicHex,
          DISCORD_GUILD_ID,
          DISCORD_API_URL: discord.url,
          DISCORD_GATEWAY: 'false',
          DISCORD_ALERT_CHANNEL_ID: '1200000000000000003',
          DISCORD_WEBHOOK_URL: `${discord.url}/api/webhooks/1200000000000000004/webhook-token-abc`,
        }
      : {}),
    ...(line ? { LINE_CHANNEL_SECRET: LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN: line.accessToken, LINE_API_URL: line.url } : {}),
    ...(options.publicUrl ? { PUBLIC_URL: http.url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const real = createCommandRouter({
    commands: COMMANDS,
    services,
    store: createDbChatStore(database.db),
    logger,
    clock,
    users: parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS),
    rateLimitPerMinute: config.COMMAND_RATE_LIMIT,
    alertChannels: ['telegram', 'discord', 'line'],
  });
  const handled: InboundCommand[] = [];
  const router: CommandRouter = {
    commands: real.commands,
    knows: (caller) => real.knows(caller),
    handle(input) {
      handled.push(input);
      return real.handle(input);
    },
  };
  const chartClock = { t: Date.now() };
  const chartLinks = createChartLinks({ publicUrl: config.PUBLIC_URL, now: () => chartClock.t });
  const chat = await createChat({
    config,
    router,
    services,
    database,
    logger,
    chartLinks,
    timing: { minEditIntervalMs: 0 },
  });
  // The HTTP server is already listening (its URL is PUBLIC_URL); nothing was requested yet, so
  // the routes can still be added.
  chat.mount(appRef!);
  await chat.start();

  const headersFor = (body: string, timestamp: number, key: KeyObject) => {
    const ts = String(Math.floor(timestamp / 1000));
    return {
      'content-type': 'application/json',
      'x-signature-timestamp': ts,
      'x-signature-ed25519': sign(null, Buffer.from(ts + body), key).toString('hex'),
    };
  };

  return {
    config,
    database,
    services,
    clock,
    router,
    handled,
    http,
    chat,
    chartLinks,
    chartClock,
    telegram,
    discord,
    line,
    discordKey: { publicHex, privateKey },
    postDiscord(payload, o = {}) {
      const body = JSON.stringify(payload);
      return fetch(`${http.url}/interactions/discord`, { method: 'POST', body, headers: headersFor(body, o.timestamp ?? Date.now(), o.key ?? privateKey) });
    },
    postLine(events, o = {}) {
      const body = JSON.stringify({ destination: 'Ubot0000000000000000000000000000', events });
      return fetch(`${http.url}/webhooks/line`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, o.secret ?? LINE_SECRET) } });
    },
    postTelegram(update, secret = TELEGRAM_SECRET) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
      return fetch(`${http.url}/webhooks/telegram`, { method: 'POST', body: JSON.stringify(update), headers });
    },
    async close() {
      await chat.stop();
      await http.close();
      await Promise.all([telegram?.close(), discord?.close(), line?.close()]);
      await database.close();
    },
  };
}

let interactionSeq = 1n;

/** A slash-command interaction payload as Discord sends it. */
export function slashInteraction(userId: string, name: string, options: Array<{ name: string; type: number; value: unknown }> = [], extra: { id?: string; channelId?: string } = {}): object {
  const id = extra.id ?? String(1_250_000_000_000_000_000n + interactionSeq++);
  return {
    id,
    application_id: DISCORD_APP_ID,
    type: 2,
    token: `interaction-token-${id}`,
    version: 1,
    guild_id: DISCORD_GUILD_ID,
    channel_id: extra.channelId ?? '1200000000000000010',
    member: { user: { id: userId, username: `user${userId.slice(-3)}`, global_name: null }, roles: [] },
    data: { id: '1', name, type: 1, options },
  };
}

/** A button press (message component) interaction. */
export function componentInteraction(userId: string, customId: string, extra: { id?: string } = {}): object {
  const id = extra.id ?? String(1_250_000_000_000_000_000n + interactionSeq++);
  return {
    id,
    application_id: DISCORD_APP_ID,
    type: 3,
    token: `interaction-token-${id}`,
    version: 1,
    guild_id: DISCORD_GUILD_ID,
    channel_id: '1200000000000000010',
    member: { user: { id: userId, username: `user${userId.slice(-3)}`, global_name: null }, roles: [] },
    message: { id: '1200000000000000099', content: '' },
    data: { custom_id: customId, component_type: 2 },
  };
}

/** Wait until `check` returns true (polling; for work that runs after a webhook was answered). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
