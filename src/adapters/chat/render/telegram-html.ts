import type { Reply, ReplyImage } from '../../../../commands/reply.ts';
import type { ButtonPayloads } from './button-payloads.ts';
import { PHONE_WIDTH, tableLines } from './table-layout.ts';

/** Telegram's limits (Bot API): message text 4096, photo caption 1024, callback_data 64 bytes. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const TELEGRAM_CALLBACK_BYTES = 64;

export interface TelegramInlineButton {
  text: string;
  callback_data: string;
}

export interface TelegramOutMessage {
  /** Text for parse_mode HTML. */
  html: string;
  keyboard?: TelegramInlineButton[][];
}

export interface TelegramRendered {
  messages: TelegramOutMessage[];
  photos: Array<{ image: ReplyImage; captionHtml?: string }>;
}

/** Escape text for parse_mode HTML: only `<`, `>` and `&` are special outside attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const TONE_MARK: Record<NonNullable<Reply['tone']>, string> = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '❌' };

interface Unit {
  /** Already-escaped HTML of one line (never contains an open tag across units). */
  html: string;
  pre: boolean;
  /** Units of one block join with `\n`; blocks join with a blank line. */
  block: number;
}

const PRE_OVERHEAD = '<pre></pre>'.length;

/** Cut a raw line into pieces whose escaped form fits `budget`, at code-point boundaries. */
function hardSplit(raw: string, budget: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  let curLen = 0;
  for (const ch of raw) {
    const len = escapeHtml(ch).length;
    if (curLen + len > budget && cur) {
      pieces.push(cur);
      cur = '';
      curLen = 0;
    }
    cur += ch;
    curLen += len;
  }
  if (cur || pieces.length === 0) pieces.push(cur);
  return pieces;
}

function toUnits(reply: Reply, limit: number): Unit[] {
  const units: Unit[] = [];
  let block = 0;
  const budget = limit - PRE_OVERHEAD;
  const addText = (raw: string, pre: boolean, wrap?: (s: string) => string) => {
    for (const line of raw.split(/\r?\n/)) {
      for (const piece of hardSplit(line, budget - (wrap ? 7 : 0))) {
        const html = escapeHtml(piece);
        units.push({ html: wrap ? wrap(html) : html, pre, block });
      }
    }
  };
  if (reply.title) {
    const mark = reply.tone && reply.tone !== 'info' ? `${TONE_MARK[reply.tone]} ` : '';
    addText(mark + reply.title.slice(0, 256), false, (s) => `<b>${s}</b>`);
    block++;
  }
  for (const paragraph of reply.text ?? []) {
    addText(paragraph, false);
    block++;
  }
  for (const table of reply.tables ?? []) {
    if (table.title) {
      addText(table.title, false, (s) => `<b>${s}</b>`);
      block++;
    }
    addText(tableLines(table, { maxWidth: PHONE_WIDTH }).join('\n'), true);
    block++;
  }
  return units;
}

/**
 * Pack units into messages of at most `limit` characters. A cut never falls inside a tag or an
 * entity (units are whole escaped lines) and a monospace block cut in two is closed and reopened,
 * so each message is valid HTML on its own.
 */
export function packHtml(units: Unit[], limit: number): string[] {
  const chunks: string[] = [];
  let runs: Array<{ pre: boolean; block: number; lines: string[] }> = [];
  let length = 0;
  const flush = () => {
    if (runs.length === 0) return;
    chunks.push(
      runs
        .map((r, i) => {
          const body = r.lines.join('\n');
          const sep = i === 0 ? '' : runs[i - 1].block === r.block ? '\n' : '\n\n';
          return sep + (r.pre ? `<pre>${body}</pre>` : body);
        })
        .join(''),
    );
    runs = [];
    length = 0;
  };
  for (const u of units) {
    const last = runs[runs.length - 1];
    if (last && last.block === u.block && last.pre === u.pre) {
      if (length + 1 + u.html.length <= limit) {
        last.lines.push(u.html);
        length += 1 + u.html.length;
        continue;
      }
    } else {
      const cost = (last ? (last.block === u.block ? 1 : 2) : 0) + (u.pre ? PRE_OVERHEAD : 0) + u.html.length;
      if (length + cost <= limit) {
        runs.push({ pre: u.pre, block: u.block, lines: [u.html] });
        length += cost;
        continue;
      }
    }
    flush();
    runs.push({ pre: u.pre, block: u.block, lines: [u.html] });
    length = (u.pre ? PRE_OVERHEAD : 0) + u.html.length;
  }
  flush();
  return chunks;
}

/**
 * Reply → Telegram messages for parse_mode HTML: title bold, paragraphs escaped, tables in `<pre>`,
 * long replies split under the limit at line boundaries, buttons as an inline keyboard on the last
 * message (callback_data ≤ 64 bytes through `payloads`), images returned for sendPhoto.
 */
export function renderTelegram(reply: Reply, payloads: ButtonPayloads, limit = TELEGRAM_TEXT_LIMIT): TelegramRendered {
  const html = packHtml(toUnits(reply, limit), limit);
  const messages: TelegramOutMessage[] = html.map((h) => ({ html: h }));
  const buttons = reply.buttons ?? [];
  if (buttons.length > 0) {
    if (messages.length === 0) messages.push({ html: escapeHtml('Choose:') });
    const keyboard: TelegramInlineButton[][] = [];
    buttons.forEach((b, i) => {
      if (i % 3 === 0) keyboard.push([]);
      keyboard[keyboard.length - 1].push({ text: b.label.slice(0, 64), callback_data: payloads.encode(b.command, TELEGRAM_CALLBACK_BYTES) });
    });
    messages[messages.length - 1].keyboard = keyboard;
  }
  const photos = (reply.images ?? []).map((image) => ({
    image,
    captionHtml: image.caption ? escapeHtml(hardSplit(image.caption, TELEGRAM_CAPTION_LIMIT)[0]) : undefined,
  }));
  return { messages, photos };
}
