import { createHmac } from 'node:crypto';
import type { CannedResponse, RecordedRequest } from './recorder.ts';
import { RecordingServer } from './recorder.ts';

type Json = Record<string, unknown>;

/**
 * A local stand-in of the LINE Messaging API: `/v2/bot/message/reply` (single-use reply tokens,
 * optionally expired), `/v2/bot/message/push` (X-Line-Retry-Key honoured: a repeated key → 409),
 * `/v2/bot/chat/loading/start` (the loading animation, user chats only) and
 * `/v2/bot/message/{id}/content`. Keys for fault injection are the path, e.g. `/v2/bot/message/push`.
 */
export class LineStandIn {
  readonly server: RecordingServer;
  private readonly usedReplyTokens = new Set<string>();
  readonly expiredReplyTokens = new Set<string>();
  private readonly acceptedRetryKeys = new Set<string>();
  /** Message contents served by the content endpoint. */
  readonly contents = new Map<string, Buffer>();
  private nextId = 1;

  constructor(readonly accessToken = 'line-standin-channel-access-token') {
    this.server = new RecordingServer((r) => this.handle(r), (r) => r.path);
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  failNext(path: string, response: CannedResponse, count = 1): void {
    this.server.failNext(path, response, count);
  }

  calls(path: string): RecordedRequest[] {
    return this.server.calls(path);
  }

  /** Every message delivered by reply or push (accepted requests only), with how it went out. */
  sent(): Array<{ via: 'reply' | 'push'; to?: string; message: Json }> {
    const out: Array<{ via: 'reply' | 'push'; to?: string; message: Json }> = [];
    for (const r of this.server.requests) {
      if (r.status !== 200) continue;
      const via = r.path === '/v2/bot/message/reply' ? 'reply' : r.path === '/v2/bot/message/push' ? 'push' : undefined;
      if (!via) continue;
      for (const m of (r.body.messages as Json[] | undefined) ?? []) out.push({ via, to: r.body.to as string | undefined, message: m });
    }
    return out;
  }

  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void> {
    await this.server.waitFor(predicate, timeoutMs);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private handle(r: RecordedRequest): CannedResponse {
    if (r.headers.authorization !== `Bearer ${this.accessToken}`) return lineError(401, 'Authentication failed. Confirm that the access token in the authorization header is valid.');
    if (r.method === 'POST' && r.path === '/v2/bot/message/reply') {
      const token = String(r.body.replyToken ?? '');
      if (!token || this.usedReplyTokens.has(token) || this.expiredReplyTokens.has(token)) return lineError(400, 'Invalid reply token');
      const bad = this.validate(r.body.messages);
      if (bad) return bad;
      this.usedReplyTokens.add(token);
      return { status: 200, body: this.sentMessages(r.body.messages as Json[]) };
    }
    if (r.method === 'POST' && r.path === '/v2/bot/message/push') {
      const key = r.headers['x-line-retry-key'];
      if (key && this.acceptedRetryKeys.has(key)) return { status: 409, body: { message: 'The retry key is already accepted', sentMessages: [] }, headers: { 'x-line-accepted-request-id': 'accepted' } };
      if (typeof r.body.to !== 'string' || !r.body.to) return lineError(400, 'The request body has 1 error(s)');
      const bad = this.validate(r.body.messages);
      if (bad) return bad;
      if (key) this.acceptedRetryKeys.add(key);
      return { status: 200, body: this.sentMessages(r.body.messages as Json[]) };
    }
    if (r.method === 'POST' && r.path === '/v2/bot/chat/loading/start') {
      // Only one-on-one chats with a user; 5–60 s in steps of 5 (Messaging API reference).
      const seconds = r.body.loadingSeconds ?? 20;
      if (typeof r.body.chatId !== 'string' || !/^U[0-9a-f]{32}$/.test(r.body.chatId)) return lineError(400, 'The request body has 1 error(s)');
      if (typeof seconds !== 'number' || seconds < 5 || seconds > 60 || seconds % 5 !== 0) return lineError(400, 'The request body has 1 error(s)');
      return { status: 202, body: {} };
    }
    const content = /^\/v2\/bot\/message\/([^/]+)\/content$/.exec(r.path);
    if (r.method === 'GET' && content) {
      const data = this.contents.get(content[1]);
      return data ? { status: 200, body: data, headers: { 'content-type': 'image/png' } } : lineError(404, 'Not found');
    }
    return lineError(404, 'Not found');
  }

  private validate(messages: unknown): CannedResponse | undefined {
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > 5) return lineError(400, 'Size must be between 1 and 5');
    for (const m of messages as Json[]) {
      if (m.type === 'text' && (typeof m.text !== 'string' || m.text.length === 0 || m.text.length > 5000)) return lineError(400, 'Length must be between 1 and 5000');
      if (m.type === 'flex' && (typeof m.altText !== 'string' || m.altText.length > 400)) return lineError(400, 'altText must be at most 400 characters');
      if (m.type === 'image' && (typeof m.originalContentUrl !== 'string' || typeof m.previewImageUrl !== 'string')) return lineError(400, 'image URLs required');
      const items = (m.quickReply as { items?: Json[] } | undefined)?.items;
      if (items && items.length > 13) return lineError(400, 'quickReply items must be at most 13');
    }
    return undefined;
  }

  private sentMessages(messages: Json[]): Json {
    return { sentMessages: messages.map(() => ({ id: String(this.nextId++), quoteToken: `q${this.nextId}` })) };
  }
}

export function lineError(status: number, message: string, headers?: Record<string, string>): CannedResponse {
  return { status, body: { message }, headers };
}

/** The x-line-signature of a body: base64 HMAC-SHA256 with the channel secret. */
export function lineSignature(body: string, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

let eventSeq = 1;

/** A text message event from a 1:1 chat. */
export function lineTextEvent(userId: string, text: string, extra: { webhookEventId?: string; replyToken?: string; isRedelivery?: boolean; timestamp?: number; groupId?: string } = {}): Json {
  const n = eventSeq++;
  return {
    type: 'message',
    mode: 'active',
    timestamp: extra.timestamp ?? Date.now(),
    webhookEventId: extra.webhookEventId ?? `01HEVENT${String(n).padStart(18, '0')}`,
    deliveryContext: { isRedelivery: extra.isRedelivery ?? false },
    replyToken: extra.replyToken ?? `reply-token-${n}`,
    source: extra.groupId ? { type: 'group', groupId: extra.groupId, userId } : { type: 'user', userId },
    message: { type: 'text', id: String(100000 + n), quoteToken: `qt${n}`, text },
  };
}

/** A postback event (a quick-reply button press). */
export function linePostbackEvent(userId: string, data: string, extra: { webhookEventId?: string; replyToken?: string } = {}): Json {
  const n = eventSeq++;
  return {
    type: 'postback',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: extra.webhookEventId ?? `01HPOSTBACK${String(n).padStart(15, '0')}`,
    deliveryContext: { isRedelivery: false },
    replyToken: extra.replyToken ?? `reply-token-pb-${n}`,
    source: { type: 'user', userId },
    postback: { data },
  };
}
