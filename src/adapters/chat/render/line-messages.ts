import type { messagingApi } from '@line/bot-sdk';
import type { Reply, ReplyImage } from '../../../../commands/reply.ts';
import type { ButtonPayloads } from './button-payloads.ts';
import { tableToFlex } from './line-flex.ts';

/** LINE limits: text message 5000 characters, 5 messages per call, 13 quick-reply items. */
export const LINE_TEXT_LIMIT = 5000;
export const LINE_MESSAGES_PER_CALL = 5;
export const LINE_QUICK_REPLY_ITEMS = 13;
export const LINE_POSTBACK_DATA_LIMIT = 300;
export const LINE_ACTION_LABEL_LIMIT = 20;

/** Split text at line boundaries into pieces of at most `limit` characters (hard cut for a longer line). */
export function splitText(text: string, limit: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > limit) {
      if (cur) {
        out.push(cur);
        cur = '';
      }
      // Do not cut a surrogate pair in half.
      let at = limit;
      const code = rest.charCodeAt(at - 1);
      if (code >= 0xd800 && code <= 0xdbff) at--;
      out.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    const next = cur ? `${cur}\n${rest}` : rest;
    if (next.length > limit) {
      out.push(cur);
      cur = rest;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

export interface LineRenderOptions {
  payloads: ButtonPayloads;
  /** Public URL of an image (chart link), or undefined when images cannot be served (no PUBLIC_URL). */
  imageUrl?: (image: ReplyImage) => string | undefined;
}

/**
 * Reply → LINE messages: title and paragraphs as text (≤ 5000 characters each), tables as Flex,
 * images as image messages by URL (their alt text when no URL can be made), buttons as quick-reply
 * postback items on the last message whose data is the command line. The caller sends them in
 * batches of five.
 */
export function renderLine(reply: Reply, options: LineRenderOptions): messagingApi.Message[] {
  const messages: messagingApi.Message[] = [];
  const head = [reply.title, ...(reply.text ?? [])].filter((s): s is string => Boolean(s)).join('\n\n');
  const notes: string[] = [];
  for (const table of reply.tables ?? []) {
    const { message, hiddenRows } = tableToFlex(table);
    messages.push(message);
    if (hiddenRows > 0) notes.push(`${hiddenRows} more row(s) of "${table.title ?? 'table'}" not shown.`);
  }
  for (const image of reply.images ?? []) {
    const url = options.imageUrl?.(image);
    if (url) messages.push({ type: 'image', originalContentUrl: url, previewImageUrl: url });
    else notes.push(image.caption ? `${image.caption} — ${image.alt}` : image.alt);
  }
  const texts = splitText([head, ...notes].filter(Boolean).join('\n\n'), LINE_TEXT_LIMIT).map(
    (text): messagingApi.TextMessage => ({ type: 'text', text }),
  );
  messages.unshift(...texts);
  const buttons = (reply.buttons ?? []).slice(0, LINE_QUICK_REPLY_ITEMS);
  if (buttons.length > 0) {
    if (messages.length === 0) messages.push({ type: 'text', text: 'Choose:' });
    messages[messages.length - 1].quickReply = {
      items: buttons.map((b) => ({
        type: 'action',
        action: {
          type: 'postback',
          label: b.label.slice(0, LINE_ACTION_LABEL_LIMIT),
          data: options.payloads.encode(b.command, LINE_POSTBACK_DATA_LIMIT),
          displayText: b.label.slice(0, 300),
        },
      })),
    };
  }
  return messages;
}

/** Messages in API-call batches of five. */
export function batches<T>(items: T[], size = LINE_MESSAGES_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
