import { Telegraf, type Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Hono } from 'hono';
import type { Reply } from '../../../../commands/reply.ts';
import type { CommandRouter } from '../../../../commands/router-types.ts';
import type { AlertSender } from '../../../alerts/alert.ts';
import type { Logger } from '../../../logger.ts';
import { BackgroundTasks } from '../background-tasks.ts';
import { FollowUps } from '../follow-up.ts';
import { dispatchCommand } from '../dispatch.ts';
import { RecentIds } from '../recent-ids.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { escapeHtml, renderTelegram } from '../render/telegram-html.ts';
import { createTelegramAlertSender } from './telegram-alert-sender.ts';
import { telegramCommandMenu } from './telegram-commands-menu.ts';
import { isNotModified } from './telegram-errors.ts';
import { sendTelegramReply } from './telegram-send.ts';
import { parseTelegramUpdate, type TelegramInbound } from './telegram-updates.ts';
import { mountTelegramWebhook } from './telegram-webhook-route.ts';

export interface TelegramChatOptions {
  token: string;
  apiRoot: string;
  /** Public URL of POST /webhooks/telegram; unset = long polling. */
  webhookUrl?: string;
  webhookSecret?: string;
  router: CommandRouter;
  logger: Logger;
  payloads: ButtonPayloads;
  /** Time a slow command may take before "⏳ queued…" is shown. */
  interimAfterMs?: number;
  /** Minimum time between two progress edits of one message. */
  minEditIntervalMs?: number;
}

export interface TelegramChat {
  readonly mode: 'polling' | 'webhook';
  readonly telegram: Telegram;
  readonly sender: AlertSender;
  /** Send a reply nobody asked for just now (a result that finished after a restart). */
  deliver(chatId: string, reply: Reply): Promise<void>;
  mount(app: Hono): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Process one update (webhook and polling both end here); resolves when its answer is sent. */
  processUpdate(update: Update): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * Telegram through telegraf: long polling by default, the shared HTTP server's webhook route when a
 * webhook URL is set. Every update is processed in the background so neither the polling loop nor
 * the webhook response waits for a command.
 */
export function createTelegramChat(options: TelegramChatOptions): TelegramChat {
  const log = options.logger.child({ platform: 'telegram' });
  const mode = options.webhookUrl ? 'webhook' : 'polling';
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });
  const telegram = bot.telegram;
  const tasks = new BackgroundTasks(log);
  const recent = new RecentIds();
  let launched: Promise<void> | undefined;
  let started = false;
  const followUps = new FollowUps(log, options.minEditIntervalMs);

  // telegraf's default handler rethrows and can end polling.
  bot.catch((err) => log.error({ err }, 'telegram update failed'));
  bot.use((ctx) => {
    void tasks.run('telegram update', () => processUpdate(ctx.update));
  });

  async function answer(inbound: TelegramInbound, text: string): Promise<Reply | undefined> {
    const { reply, messageId } = await run(inbound, text);
    // A follow-up (backtest progress and result) edits the answer, then replaces it with the result.
    void followUps.show(reply, {
      edit: async (progress) => {
        if (messageId === undefined) return;
        const html = renderTelegram(progress, options.payloads).messages[0]?.html ?? '';
        await telegram.editMessageText(inbound.chatId, messageId, undefined, html, { parse_mode: 'HTML' }).catch((err: unknown) => {
          if (!isNotModified(err)) throw err;
        });
      },
      send: async (result) => {
        await sendTelegramReply(telegram, inbound.chatId, result, { payloads: options.payloads, replaceMessageId: messageId });
      },
    });
    return reply;
  }

  async function run(inbound: TelegramInbound, text: string): Promise<{ reply?: Reply; messageId?: number }> {
    let interimId: number | undefined;
    const result = await dispatchCommand(
      options.router,
      { caller: inbound.caller, text, deliveryId: inbound.deliveryId },
      {
        showInterim: async () => {
          const m = await telegram.sendMessage(inbound.chatId, escapeHtml('⏳ queued…'), { parse_mode: 'HTML' });
          interimId = m.message_id;
        },
        editInterim: async (progress) => {
          if (interimId === undefined) return;
          await telegram
            .editMessageText(inbound.chatId, interimId, undefined, escapeHtml(`⏳ ${progress}`), { parse_mode: 'HTML' })
            .catch((err: unknown) => {
              if (!isNotModified(err)) log.warn({ err }, 'progress edit failed');
            });
        },
        minEditIntervalMs: options.minEditIntervalMs,
      },
      { interimAfterMs: options.interimAfterMs },
    );
    if (!result.reply) {
      if (interimId !== undefined) {
        await telegram.editMessageText(inbound.chatId, interimId, undefined, escapeHtml('Already handled.')).catch(() => {});
      }
      return {};
    }
    const ids = await sendTelegramReply(telegram, inbound.chatId, result.reply, { payloads: options.payloads, replaceMessageId: interimId });
    return { reply: result.reply, messageId: ids[0] };
  }

  async function processUpdate(update: Update): Promise<void> {
    if (recent.checkAndAdd(String(update.update_id))) return;
    const inbound = parseTelegramUpdate(update, bot.botInfo?.username);
    if (!inbound) return;
    if (inbound.kind === 'text') {
      await answer(inbound, inbound.text);
      return;
    }
    // Stop the client's spinner first; the answer follows as a message.
    await telegram.answerCbQuery(inbound.callbackQueryId).catch((err: unknown) => log.warn({ err }, 'answerCallbackQuery failed'));
    const text = options.payloads.decode(inbound.payload);
    if (!text) {
      await sendTelegramReply(telegram, inbound.chatId, { text: ['This button has expired: type the command instead.'], tone: 'warning' }, { payloads: options.payloads });
      return;
    }
    const reply = await answer(inbound, text);
    if (reply && reply.tone !== 'error' && inbound.messageId !== undefined) {
      // The prompt's buttons did their job: remove them so nobody presses a stale Confirm.
      await telegram.editMessageReplyMarkup(inbound.chatId, inbound.messageId, undefined, { inline_keyboard: [] }).catch(() => {});
    }
  }

  return {
    mode,
    telegram,
    sender: createTelegramAlertSender(telegram, options.payloads),
    async deliver(chatId, reply) {
      await sendTelegramReply(telegram, chatId, reply, { payloads: options.payloads });
    },
    mount(app) {
      if (mode !== 'webhook') return;
      mountTelegramWebhook(app, {
        secret: options.webhookSecret ?? '',
        logger: log,
        onUpdate: (update) => tasks.run('telegram webhook update', () => processUpdate(update)),
      });
    },
    async start() {
      if (mode === 'webhook' && !options.webhookSecret) throw new Error('TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL');
      bot.botInfo = await telegram.getMe();
      await telegram.setMyCommands(telegramCommandMenu(options.router.commands));
      if (mode === 'webhook') {
        await telegram.setWebhook(options.webhookUrl!, { secret_token: options.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info({ username: bot.botInfo.username }, 'telegram webhook set');
      } else {
        // launch() only returns when polling ends: keep the promise, never await it here.
        launched = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }).catch((err: unknown) => log.error({ err }, 'telegram polling stopped with an error'));
        log.info({ username: bot.botInfo.username }, 'telegram long polling');
      }
      started = true;
    },
    async stop() {
      if (launched) {
        let ended = false;
        void launched.finally(() => (ended = true));
        const deadline = Date.now() + 5_000;
        // launch() may still be in deleteWebhook, where stop() throws "not running": retry until
        // polling exists (then stop aborts it) or launch has ended by itself.
        while (!ended && Date.now() < deadline) {
          try {
            bot.stop('shutdown');
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 25));
          }
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([launched, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
        clearTimeout(timer);
        launched = undefined;
      }
      if (started || tasks.size > 0) await tasks.drain(10_000);
      await followUps.stop();
      started = false;
    },
    processUpdate,
  };
}
