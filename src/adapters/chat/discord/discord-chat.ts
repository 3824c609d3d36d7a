import { REST } from 'discord.js';
import type { Hono } from 'hono';
import type { CommandRouter } from '../../../../commands/router-types.ts';
import type { Reply } from '../../../../commands/reply.ts';
import type { AlertSender } from '../../../alerts/alert.ts';
import type { Logger } from '../../../logger.ts';
import { BackgroundTasks } from '../background-tasks.ts';
import { FollowUps } from '../follow-up.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { createDiscordAlertSender } from './discord-alert-sender.ts';
import { editOriginal, postInteractionCallback, prepareDiscordMessage } from './discord-send.ts';
import { createInteractionHandler, type DiscordAnswerHandle, type InteractionOutcome, type InteractionPayload } from './interactions.ts';
import { mountDiscordInteractions } from './interactions-route.ts';
import { buildSlashCommands } from './slash-commands.ts';

export interface DiscordChatOptions {
  token?: string;
  appId?: string;
  publicKey?: string;
  guildId?: string;
  apiUrl: string;
  /** Connect to the gateway for interactions (needs a token). */
  gateway: boolean;
  webhookUrl?: string;
  router: CommandRouter;
  logger: Logger;
  payloads: ButtonPayloads;
  answerWithinMs?: number;
  minEditIntervalMs?: number;
  /** Strategy names and listed symbols for option autocomplete. */
  suggest?: (kind: 'strategy' | 'symbol') => Promise<readonly string[]>;
}

export interface DiscordChat {
  readonly sender: AlertSender;
  readonly rest: REST;
  /** Post a reply in a channel outside any interaction (a result that finished after a restart). */
  deliver(channelId: string, reply: Reply): Promise<void>;
  mount(app: Hono): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The pure interaction handler (shared by the gateway and the HTTP endpoint). */
  handleInteraction(payload: InteractionPayload): Promise<InteractionOutcome>;
}

/** Follow-ups wait at most this long for a rate limit before failing (the user is watching). */
const MAX_INTERACTIVE_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * Discord through discord.js: slash commands registered at start from the commands' schemas,
 * interactions from the HTTP endpoint (POST /interactions/discord, Ed25519) and/or the gateway,
 * both through the same payload handler; alerts through a REST that surfaces rate limits.
 */
export function createDiscordChat(options: DiscordChatOptions): DiscordChat {
  const log = options.logger.child({ platform: 'discord' });
  const tasks = new BackgroundTasks(log);
  const rest = new REST({
    api: options.apiUrl,
    version: '10',
    rejectOnRateLimit: (data) => data.retryAfter > MAX_INTERACTIVE_RATE_LIMIT_WAIT_MS || data.timeToReset > MAX_INTERACTIVE_RATE_LIMIT_WAIT_MS,
  });
  // The outbox must see every 429 (it owns the retry schedule), so its REST never waits silently.
  const alertRest = new REST({ api: options.apiUrl, version: '10', rejectOnRateLimit: () => true, retries: 0 });
  if (options.token) {
    rest.setToken(options.token);
    alertRest.setToken(options.token);
  }
  const slash = buildSlashCommands(options.router.commands);
  const followUps = new FollowUps(log, options.minEditIntervalMs);
  /** A message in a channel (needs the bot token). */
  const postToChannel = async (channelId: string | undefined, reply: Reply) => {
    if (!options.token || !channelId) {
      log.warn({ title: reply.title }, 'discord: a reply cannot be posted (no bot token or channel)');
      return;
    }
    const { body, files } = await prepareDiscordMessage(reply, options.payloads);
    await rest.post(`/channels/${channelId}/messages`, { body: { ...body, flags: undefined }, files: files.length ? files : undefined });
  };
  // A follow-up edits the deferred answer while its token lives (15 min), then posts in the channel.
  const showFollowUp = (reply: Reply, h: DiscordAnswerHandle) =>
    void followUps.show(reply, {
      edit: async (progress) => {
        if (Date.now() >= h.expiresAt) return;
        const { body } = await prepareDiscordMessage(progress, options.payloads);
        await editOriginal(rest, h.applicationId, h.token, { ...body, content: '' });
      },
      send: async (result) => {
        if (Date.now() < h.expiresAt) {
          const { body, files } = await prepareDiscordMessage(result, options.payloads);
          await editOriginal(rest, h.applicationId, h.token, { ...body, content: '' }, files);
          return;
        }
        await postToChannel(h.channelId, result);
      },
    });
  const handleInteraction = createInteractionHandler({
    showFollowUp,
    suggest: options.suggest,
    router: options.router,
    rest,
    payloads: options.payloads,
    slash,
    logger: log,
    answerWithinMs: options.answerWithinMs,
    minEditIntervalMs: options.minEditIntervalMs,
  });
  let client: { destroy(): Promise<void> } | undefined;
  let started = false;

  async function startGateway(token: string): Promise<void> {
    const { Client, GatewayIntentBits } = await import('discord.js');
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
    // Raw dispatch payloads: the same shape the HTTP endpoint receives.
    c.ws.on('INTERACTION_CREATE' as never, (data: InteractionPayload) => {
      tasks.run('discord gateway interaction', async () => {
        const outcome = await handleInteraction(data);
        await postInteractionCallback(rest, data.id, data.token, outcome.response);
        if (outcome.followUp) await outcome.followUp();
      });
    });
    c.on('error', (err) => log.error({ err }, 'discord gateway error'));
    await c.login(token);
    client = c;
  }

  return {
    rest,
    sender: createDiscordAlertSender({ rest: alertRest, payloads: options.payloads, webhookUrl: options.webhookUrl, hasToken: Boolean(options.token) }),
    handleInteraction,
    deliver: (channelId, reply) => postToChannel(channelId, reply),
    mount(app) {
      if (!options.publicKey) return;
      mountDiscordInteractions(app, {
        publicKey: options.publicKey,
        logger: log,
        handle: handleInteraction,
        runLater: (what, fn) => tasks.run(what, fn),
      });
    },
    async start() {
      started = true;
      if (options.token && options.appId) {
        const route = options.guildId
          ? (`/applications/${options.appId}/guilds/${options.guildId}/commands` as const)
          : (`/applications/${options.appId}/commands` as const);
        await rest.put(route, { body: slash.definitions });
        log.info({ commands: slash.definitions.length, scope: options.guildId ? 'guild' : 'global' }, 'discord slash commands registered');
      } else {
        log.warn('discord: DISCORD_BOT_TOKEN and DISCORD_APP_ID are needed to register slash commands; skipped');
      }
      if (options.gateway && options.token) await startGateway(options.token);
    },
    async stop() {
      if (client) {
        await client.destroy().catch((err: unknown) => log.warn({ err }, 'discord gateway close failed'));
        client = undefined;
      }
      if (started || tasks.size > 0) await tasks.drain(10_000);
      await followUps.stop();
      for (const r of [rest, alertRest]) {
        r.clearHashSweeper();
        r.clearHandlerSweeper();
      }
      started = false;
    },
  };
}
