import type { Caller } from '../../../../commands/command.ts';

/** The parts of a LINE webhook event this adapter reads. */
export interface LineEvent {
  type: string;
  timestamp?: number;
  webhookEventId?: string;
  deliveryContext?: { isRedelivery?: boolean };
  replyToken?: string;
  source?: { type: 'user' | 'group' | 'room'; userId?: string; groupId?: string; roomId?: string };
  message?: { type: string; id?: string; text?: string };
  postback?: { data?: string };
}

export interface LineInbound {
  kind: 'text' | 'postback';
  caller: Caller;
  /** Push target: the group or room the event came from, else the user. */
  to: string;
  /** Typed line, or the postback's data (a command line or a short reference to one). */
  text: string;
  deliveryId?: string;
  replyToken?: string;
  eventTimestamp?: number;
  isRedelivery: boolean;
}

/**
 * Event → inbound command, or undefined for events the bot ignores (follows, stickers, plain chatter
 * in groups — there only `/commands` are read). Pure: no I/O.
 */
export function parseLineEvent(event: LineEvent): LineInbound | undefined {
  const src = event.source;
  if (!src?.userId) return undefined;
  const to = src.groupId ?? src.roomId ?? src.userId;
  const base = {
    caller: { platform: 'line' as const, userId: src.userId, chatId: to },
    to,
    deliveryId: event.webhookEventId,
    replyToken: event.replyToken,
    eventTimestamp: event.timestamp,
    isRedelivery: Boolean(event.deliveryContext?.isRedelivery),
  };
  if (event.type === 'message' && event.message?.type === 'text' && typeof event.message.text === 'string') {
    const text = event.message.text.trim();
    if (!text) return undefined;
    if (src.type !== 'user' && !text.startsWith('/')) return undefined;
    return { kind: 'text', text, ...base };
  }
  if (event.type === 'postback' && typeof event.postback?.data === 'string' && event.postback.data) {
    return { kind: 'postback', text: event.postback.data, ...base };
  }
  return undefined;
}
