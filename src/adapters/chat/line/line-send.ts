import { createHash, randomUUID } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import { batches } from '../render/line-messages.ts';
import { lineStatus } from './line-errors.ts';

/** Reply tokens are single-use and expire (about a minute); replying later than this risks a failure. */
export const REPLY_TOKEN_FRESH_MS = 25_000;

/** A retry key (X-Line-Retry-Key) derived from content, so a retried send is recognised by LINE. */
export function retryKeyFor(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // UUID layout (version 4 nibble, variant bits) as LINE expects a UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Push with a retry key: a 5xx or a network failure is retried with the same key (LINE answers 409
 * when it had already accepted it — that counts as sent). Other errors are thrown.
 */
export async function pushWithRetryKey(
  client: messagingApi.MessagingApiClient,
  request: messagingApi.PushMessageRequest,
  retryKey: string = randomUUID(),
  attempts = 2,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await client.pushMessage(request, retryKey);
      return;
    } catch (err) {
      const status = lineStatus(err);
      if (status === 409) return;
      const transient = status === undefined || status >= 500;
      if (!transient || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}

export interface LineTarget {
  to: string;
  replyToken?: string;
  /** When the event reached us; the reply token is used only while fresh. */
  receivedAt: number;
  isRedelivery?: boolean;
}

/**
 * Deliver messages to where an event came from: the first five with the reply token while it is
 * fresh (free of the push quota), the rest — or all of them when the token is stale, used or refused —
 * by push. Returns whether the reply token was consumed.
 */
export async function deliverLine(
  client: messagingApi.MessagingApiClient,
  target: LineTarget,
  messages: messagingApi.Message[],
  now: () => number = Date.now,
): Promise<{ replied: boolean }> {
  const parts = batches(messages);
  let replied = false;
  let start = 0;
  if (target.replyToken && !target.isRedelivery && now() - target.receivedAt < REPLY_TOKEN_FRESH_MS && parts.length > 0) {
    try {
      await client.replyMessage({ replyToken: target.replyToken, messages: parts[0] });
      replied = true;
      start = 1;
    } catch (err) {
      // 400 = token expired or used: fall back to push. Anything else is a real failure.
      if (lineStatus(err) !== 400) throw err;
    }
  }
  for (const part of parts.slice(start)) await pushWithRetryKey(client, { to: target.to, messages: part });
  return { replied };
}
