import { messagingApi } from '@line/bot-sdk';
import type { Hono } from 'hono';
import type { CommandRouter } from '../../../../commands/router-types.ts';
import type { Reply } from '../../../../commands/reply.ts';
import type { AlertSender } from '../../../alerts/alert.ts';
import type { Logger } from '../../../logger.ts';
import type { ChartLinks } from '../../http/routes/chart-links.ts';
import { BackgroundTasks } from '../background-tasks.ts';
import { FollowUps } from '../follow-up.ts';
import { dispatchCommand } from '../dispatch.ts';
import { RecentIds } from '../recent-ids.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { batches, renderLine } from '../render/line-messages.ts';
import { createLineAlertSender } from './line-alert-sender.ts';
import { type LineEvent, parseLineEvent } from './line-events.ts';
import { deliverLine, type LineTarget, pushWithRetryKey, retryKeyFor } from './line-send.ts';
import { mountLineWebhook } from './line-webhook-route.ts';

/** How long the loading animation may show; it ends earlier when the answer arrives (5–60 s, steps of 5). */
export const LINE_LOADING_SECONDS = 20;
/** The animation is a courtesy: the answer never waits longer than this for it. */
const LOADING_REQUEST_WAIT_MS = 1_500;

export interface LineChatOptions {
  channelSecret: string;
  channelAccessToken: string;
  apiUrl: string;
  router: CommandRouter;
  logger: Logger;
  payloads: ButtonPayloads;
  chartLinks?: ChartLinks;
  interimAfterMs?: number;
  now?: () => number;
}

export interface LineChat {
  readonly sender: AlertSender;
  /** Push a reply outside any conversation (a result that finished after a restart). */
  deliver(to: string, reply: Reply): Promise<void>;
  readonly client: messagingApi.MessagingApiClient;
  mount(app: Hono): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handle one event (the webhook route ends here); resolves when its answer is sent. */
  processEvent(event: LineEvent, receivedAt: number): Promise<void>;
}

/**
 * LINE through @line/bot-sdk's MessagingApiClient: the webhook route (signature over the raw body),
 * typed commands with or without `/`, postbacks as commands, replies by reply token while fresh and
 * by push after, tables as Flex and charts as image messages under PUBLIC_URL.
 */
export function createLineChat(options: LineChatOptions): LineChat {
  const log = options.logger.child({ platform: 'line' });
  const now = options.now ?? Date.now;
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: options.channelAccessToken, baseURL: options.apiUrl });
  const tasks = new BackgroundTasks(log);
  const recent = new RecentIds();
  let started = false;
  const render = (reply: Parameters<typeof renderLine>[0]) => renderLine(reply, { payloads: options.payloads, imageUrl: (image) => options.chartLinks?.create(image.path) });
  const followUps = new FollowUps(log);
  // Pushes are idempotent per retry key: one key per delivered result and batch.
  const push = async (to: string, reply: Reply, key: string) => {
    for (const [i, part] of batches(render(reply)).entries()) {
      await pushWithRetryKey(client, { to, messages: part }, retryKeyFor('reply', key, to, String(i)));
    }
  };

  /**
   * The typing-dots animation while a command runs (POST /v2/bot/chat/loading/start). LINE shows it in
   * one-on-one chats only; it disappears when the answer arrives. A failure only costs the animation.
   */
  async function showLoading(chatId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.showLoadingAnimation({ chatId, loadingSeconds: LINE_LOADING_SECONDS }).catch((err: unknown) => log.debug({ err }, 'line loading animation refused')),
      new Promise((resolve) => {
        timer = setTimeout(resolve, LOADING_REQUEST_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  async function processEvent(event: LineEvent, receivedAt: number): Promise<void> {
    // A redelivered event carries the same webhookEventId: the same dedupe covers both.
    if (event.webhookEventId && recent.checkAndAdd(event.webhookEventId)) return;
    const inbound = parseLineEvent(event);
    if (!inbound) return;
    const target: LineTarget = { to: inbound.to, replyToken: inbound.replyToken, receivedAt, isRedelivery: inbound.isRedelivery };
    let text = inbound.text;
    if (inbound.kind === 'postback') {
      const decoded = options.payloads.decode(text);
      if (!decoded) {
        await deliverLine(client, target, [{ type: 'text', text: 'This button has expired: type the command instead.' }], now);
        return;
      }
      text = decoded;
    }
    if (inbound.to === inbound.caller.userId) await showLoading(inbound.to);
    const reply = await answer(inbound, target, text);
    // LINE cannot edit a sent message: progress stays silent, the result is pushed.
    void followUps.show(reply, { send: (result) => push(inbound.to, result, `${reply?.followUp?.id}:${inbound.deliveryId ?? receivedAt}`) });
  }

  async function answer(inbound: NonNullable<ReturnType<typeof parseLineEvent>>, target: LineTarget, text: string): Promise<Reply | undefined> {
    const result = await dispatchCommand(
      options.router,
      { caller: inbound.caller, text, deliveryId: inbound.deliveryId },
      {
        showInterim: async () => {
          // LINE cannot edit messages: the interim uses up the reply token, the result is pushed.
          const { replied } = await deliverLine(client, target, [{ type: 'text', text: '⏳ queued…' }], now);
          if (replied) target.replyToken = undefined;
        },
        editInterim: async () => {},
      },
      { interimAfterMs: options.interimAfterMs },
    );
    if (!result.reply) return undefined;
    await deliverLine(client, target, render(result.reply), now);
    return result.reply;
  }

  return {
    client,
    sender: createLineAlertSender(client, options.payloads, options.chartLinks, now),
    processEvent,
    deliver: (to, reply) => push(to, reply, `deliver:${reply.title ?? ''}:${now()}`),
    mount(app) {
      mountLineWebhook(app, {
        channelSecret: options.channelSecret,
        logger: log,
        now,
        onEvents: (events, receivedAt) => {
          if (!tasks.accepting) return false;
          for (const event of events) tasks.run('line event', () => processEvent(event, receivedAt));
          return true;
        },
      });
    },
    async start() {
      started = true;
      if (!options.chartLinks?.enabled) log.info('line: PUBLIC_URL unset, charts are sent as text');
    },
    async stop() {
      if (started || tasks.size > 0) await tasks.drain(10_000);
      await followUps.stop();
      started = false;
    },
  };
}
