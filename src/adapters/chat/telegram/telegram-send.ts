import { basename } from 'node:path';
import type { Telegram } from 'telegraf';
import type { Reply } from '../../../../commands/reply.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { escapeHtml, renderTelegram } from '../render/telegram-html.ts';
import { readImage } from '../image-file.ts';
import { isNotModified } from './telegram-errors.ts';

export interface TelegramSendOptions {
  payloads: ButtonPayloads;
  /** No notification sound (silent alerts). */
  silent?: boolean;
  /** A interim message ("⏳ queued…") that the first part of the reply replaces. */
  replaceMessageId?: number;
}

/**
 * Send a Reply to a chat: HTML parts in order (the keyboard on the last), then each image as a photo
 * uploaded from a Buffer (multipart). A missing chart file degrades to its alt text. Returns the ids
 * of the text messages (the first is where later edits go).
 */
export async function sendTelegramReply(telegram: Telegram, chatId: string, reply: Reply, options: TelegramSendOptions): Promise<number[]> {
  const rendered = renderTelegram(reply, options.payloads);
  const ids: number[] = [];
  const common = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
  for (const [i, m] of rendered.messages.entries()) {
    const reply_markup = m.keyboard ? { inline_keyboard: m.keyboard } : undefined;
    if (i === 0 && options.replaceMessageId !== undefined) {
      try {
        await telegram.editMessageText(chatId, options.replaceMessageId, undefined, m.html, { ...common, reply_markup });
        ids.push(options.replaceMessageId);
        continue;
      } catch (err) {
        if (isNotModified(err)) {
          ids.push(options.replaceMessageId);
          continue;
        }
        // The interim may be gone (deleted by the user): send the part as a new message instead.
      }
    }
    const sent = await telegram.sendMessage(chatId, m.html, { ...common, reply_markup, disable_notification: options.silent });
    ids.push(sent.message_id);
  }
  if (rendered.messages.length === 0 && options.replaceMessageId !== undefined && rendered.photos.length > 0) {
    await telegram.editMessageText(chatId, options.replaceMessageId, undefined, escapeHtml('✅ done'), common).catch(() => {});
  }
  for (const { image, captionHtml } of rendered.photos) {
    const png = await readImage(image.path);
    if (!png) {
      await telegram.sendMessage(chatId, escapeHtml(image.caption ? `${image.caption}: ${image.alt}` : image.alt), {
        ...common,
        disable_notification: options.silent,
      });
      continue;
    }
    await telegram.sendPhoto(chatId, { source: png, filename: basename(image.path) || 'chart.png' }, {
      caption: captionHtml,
      parse_mode: 'HTML',
      disable_notification: options.silent,
    });
  }
  return ids;
}
