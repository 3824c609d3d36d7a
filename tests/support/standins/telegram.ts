import type { CannedResponse, RecordedRequest } from './recorder.ts';
import { RecordingServer } from './recorder.ts';

/** The bot as getMe reports it. */
export const TELEGRAM_BOT = { id: 7000000001, is_bot: true, first_name: 'TradeOps', username: 'tradeops_test_bot' };

type Json = Record<string, unknown>;

/**
 * A local stand-in of the Telegram Bot API (`{root}/bot{token}/{method}`): getMe, getUpdates (a
 * queue of updates, long-polled with a short hold), sendMessage, editMessageText,
 * editMessageReplyMarkup, sendPhoto (multipart), answerCallbackQuery, setMyCommands, setWebhook,
 * deleteWebhook. Fault injection per method: `failNext('sendMessage', telegramError(429, …))`.
 */
export class TelegramStandIn {
  readonly server: RecordingServer;
  private readonly updates: Json[] = [];
  private readonly waiting = new Set<() => void>();
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  readonly messages = new Map<number, Json>();
  /** Chats that answer 400 "chat not found". */
  readonly unknownChats = new Set<string>();

  constructor(readonly token = '123456789:TEST-token-for-the-telegram-standin_0123', private readonly pollHoldMs = 100) {
    this.server = new RecordingServer((r) => this.handle(r), (r) => r.path.split('/').pop() ?? '');
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  /** Queue an update for getUpdates; returns its update_id. */
  pushUpdate(update: Json): number {
    const id = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++;
    this.updates.push({ ...update, update_id: id });
    for (const w of [...this.waiting]) w();
    return id;
  }

  failNext(method: string, response: CannedResponse, count = 1): void {
    this.server.failNext(method, response, count);
  }

  calls(method: string): RecordedRequest[] {
    return this.server.calls(method);
  }

  /** Texts of sendMessage calls (and final editMessageText texts) to one chat, in order. */
  sentTexts(chatId: string | number): string[] {
    return this.calls('sendMessage')
      .filter((r) => String(r.body.chat_id) === String(chatId))
      .map((r) => String(r.body.text));
  }

  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void> {
    await this.server.waitFor(predicate, timeoutMs);
  }

  async close(): Promise<void> {
    for (const w of [...this.waiting]) w();
    await this.server.close();
  }

  private message(chatId: unknown, extra: Json): Json {
    const id = this.nextMessageId++;
    const m = { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, from: TELEGRAM_BOT, ...extra };
    this.messages.set(id, m);
    return m;
  }

  private async handle(r: RecordedRequest): Promise<CannedResponse> {
    const [, botPart, method] = r.path.split('/');
    if (botPart !== `bot${this.token}`) return telegramError(401, 'Unauthorized');
    const b = r.body;
    const chat = String(b.chat_id ?? '');
    if (chat && this.unknownChats.has(chat)) return telegramError(400, 'Bad Request: chat not found');
    switch (method) {
      case 'getMe':
        return ok(TELEGRAM_BOT);
      case 'getUpdates':
        return ok(await this.getUpdates(Number(b.offset ?? 0), Number(b.limit ?? 100), Number(b.timeout ?? 0)));
      case 'sendMessage':
        return ok(this.message(b.chat_id, { text: b.text, reply_markup: b.reply_markup }));
      case 'editMessageText': {
        const m = this.messages.get(Number(b.message_id));
        if (!m) return telegramError(400, 'Bad Request: message to edit not found');
        if (m.text === b.text && JSON.stringify(m.reply_markup ?? null) === JSON.stringify(b.reply_markup ?? null)) {
          return telegramError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
        }
        Object.assign(m, { text: b.text, reply_markup: b.reply_markup, edit_date: Math.floor(Date.now() / 1000) });
        return ok(m);
      }
      case 'editMessageReplyMarkup': {
        const m = this.messages.get(Number(b.message_id));
        if (!m) return telegramError(400, 'Bad Request: message to edit not found');
        m.reply_markup = b.reply_markup;
        return ok(m);
      }
      case 'sendPhoto': {
        const file = r.files.photo;
        if (!file && typeof b.photo !== 'string') return telegramError(400, 'Bad Request: there is no photo in the request');
        return ok(this.message(b.chat_id, { photo: [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: 'u', width: 800, height: 400, file_size: file?.data.length ?? 0 }], caption: b.caption }));
      }
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'setWebhook':
      case 'deleteWebhook':
        return ok(true);
      default:
        return telegramError(404, 'Not Found: method not found');
    }
  }

  private async getUpdates(offset: number, limit: number, timeoutSec: number): Promise<Json[]> {
    if (offset > 0) while (this.updates.length > 0 && (this.updates[0].update_id as number) < offset) this.updates.shift();
    if (this.updates.length === 0 && timeoutSec > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(this.pollHoldMs, timeoutSec * 1000));
        this.waiting.add(done);
      });
    }
    return this.updates.slice(0, limit);
  }
}

function ok(result: unknown): CannedResponse {
  return { status: 200, body: { ok: true, result } };
}

/** A Bot API error body, e.g. `telegramError(429, 'Too Many Requests: retry after 3', { retry_after: 3 })`. */
export function telegramError(code: number, description: string, parameters?: Json): CannedResponse {
  return { status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } };
}

let updateSeq = 5000;
let messageSeq = 1;

/** A text message update from a private chat with `userId`. */
export function textUpdate(userId: number, text: string, extra: { updateId?: number; chatId?: number; chatType?: string } = {}): Json {
  const chatId = extra.chatId ?? userId;
  return {
    update_id: extra.updateId ?? updateSeq++,
    message: {
      message_id: messageSeq++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: extra.chatType ?? 'private', first_name: 'Tester' },
      from: { id: userId, is_bot: false, first_name: 'Tester', username: `user${userId}` },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }] } : {}),
    },
  };
}

/** A button press (callback query) on message `messageId` in the user's private chat. */
export function callbackUpdate(userId: number, data: string, messageId: number, extra: { updateId?: number; chatId?: number } = {}): Json {
  const chatId = extra.chatId ?? userId;
  return {
    update_id: extra.updateId ?? updateSeq++,
    callback_query: {
      id: `cbq-${updateSeq}-${messageId}`,
      from: { id: userId, is_bot: false, first_name: 'Tester', username: `user${userId}` },
      chat_instance: 'ci-1',
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text: 'prompt' },
    },
  };
}
