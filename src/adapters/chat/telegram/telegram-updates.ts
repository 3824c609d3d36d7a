import type { Update } from 'telegraf/types';
import type { Caller } from '../../../../commands/command.ts';

/** What one Telegram update asks the bot to do. */
export type TelegramInbound =
  | { kind: 'text'; caller: Caller; chatId: string; text: string; deliveryId: string; messageId: number }
  | { kind: 'button'; caller: Caller; chatId: string; payload: string; deliveryId: string; callbackQueryId: string; messageId?: number };

/**
 * Update → inbound command, or undefined for updates the bot ignores (edits, channel posts, media,
 * plain chatter in groups, commands addressed to another bot). Pure: no I/O.
 */
export function parseTelegramUpdate(update: Update, botUsername: string | undefined): TelegramInbound | undefined {
  const deliveryId = String(update.update_id);
  if ('message' in update && update.message && 'text' in update.message) {
    const m = update.message;
    if (!m.from || m.from.is_bot) return undefined;
    const text = m.text.trim();
    const isCommand = text.startsWith('/');
    if (!isCommand && m.chat.type !== 'private') return undefined;
    if (isCommand) {
      const mention = /^\/[^\s@]+@(\S+)/.exec(text)?.[1];
      if (mention && botUsername && mention.toLowerCase() !== botUsername.toLowerCase()) return undefined;
    }
    const chatId = String(m.chat.id);
    return {
      kind: 'text',
      caller: { platform: 'telegram', userId: String(m.from.id), chatId, displayName: m.from.username ?? m.from.first_name },
      chatId,
      text,
      deliveryId,
      messageId: m.message_id,
    };
  }
  if ('callback_query' in update && update.callback_query) {
    const q = update.callback_query;
    if (!('data' in q) || typeof q.data !== 'string') return undefined;
    const chatId = q.message ? String(q.message.chat.id) : String(q.from.id);
    return {
      kind: 'button',
      caller: { platform: 'telegram', userId: String(q.from.id), chatId, displayName: q.from.username ?? q.from.first_name },
      chatId,
      payload: q.data,
      deliveryId,
      callbackQueryId: q.id,
      messageId: q.message?.message_id,
    };
  }
  return undefined;
}
