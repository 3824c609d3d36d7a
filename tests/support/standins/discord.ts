import type { CannedResponse, RecordedRequest } from './recorder.ts';
import { RecordingServer } from './recorder.ts';

type Json = Record<string, unknown>;

/**
 * A local stand-in of the Discord REST API under `/v10`: application commands (global and guild
 * PUT), interaction callbacks, the original response (PATCH), webhook executes (POST, multipart
 * attachments included), DM channels (`POST /users/@me/channels`; the DM channel id is the user id
 * with its first digit replaced by 9) and channel messages. Keys for fault injection are `METHOD route` with ids
 * replaced, e.g. `POST /channels/:id/messages`.
 */
export class DiscordStandIn {
  readonly server: RecordingServer;
  private nextId = 1n;
  /** Current content of each interaction's original response, by interaction token. */
  readonly originals = new Map<string, Json>();
  readonly channelMessages: Json[] = [];

  constructor(readonly botToken = 'discord-standin-bot-token.0123456789abcdef') {
    this.server = new RecordingServer((r) => this.handle(r), (r) => routeKey(r));
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Base for `DISCORD_API_URL` (the SDK appends `/v10`). */
  get url(): string {
    return this.server.url;
  }

  failNext(key: string, response: CannedResponse, count = 1): void {
    this.server.failNext(key, response, count);
  }

  calls(key: string): RecordedRequest[] {
    return this.server.calls(key);
  }

  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void> {
    await this.server.waitFor(predicate, timeoutMs);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private snowflake(): string {
    return String(1_300_000_000_000_000_000n + this.nextId++);
  }

  private message(r: RecordedRequest, channelId: string): Json {
    const payload = (r.body.payload_json as Json | undefined) ?? r.body;
    const attachments = Object.entries(r.files).map(([key, f], i) => ({
      id: this.snowflake(),
      filename: f.filename,
      size: f.data.length,
      content_type: f.contentType,
      url: `https://cdn.discordapp.test/attachments/${i}/${f.filename}`,
      key,
    }));
    return { id: this.snowflake(), channel_id: channelId, content: payload.content ?? '', embeds: payload.embeds ?? [], components: payload.components ?? [], attachments, flags: payload.flags ?? 0, timestamp: new Date().toISOString() };
  }

  private authorised(r: RecordedRequest): boolean {
    return r.headers.authorization === `Bot ${this.botToken}`;
  }

  private handle(r: RecordedRequest): CannedResponse {
    const key = routeKey(r);
    const parts = r.path.split('/').filter(Boolean); // ['v10', ...]
    if (parts[0] !== 'v10') return discordError(404, 0, '404: Not Found');
    switch (key) {
      case 'PUT /applications/:id/commands':
      case 'PUT /applications/:id/guilds/:id/commands': {
        if (!this.authorised(r)) return discordError(401, 0, '401: Unauthorized');
        const list = Array.isArray(r.body) ? (r.body as Json[]) : [];
        return { status: 200, body: list.map((c) => ({ ...c, id: this.snowflake(), application_id: parts[2], version: '1' })) };
      }
      case 'POST /interactions/:id/:token/callback':
        return { status: 204 };
      case 'PATCH /webhooks/:id/:token/messages/@original': {
        const m = this.message(r, '0');
        this.originals.set(parts[3], m);
        return { status: 200, body: m };
      }
      case 'POST /webhooks/:id/:token': {
        const m = this.message(r, 'webhook-channel');
        this.channelMessages.push(m);
        return r.query.get('wait') === 'true' ? { status: 200, body: m } : { status: 204 };
      }
      case 'POST /users/@me/channels': {
        if (!this.authorised(r)) return discordError(401, 0, '401: Unauthorized');
        const recipient = String(r.body.recipient_id ?? '');
        if (!/^\d+$/.test(recipient)) return discordError(400, 50035, 'Invalid Form Body');
        return { status: 200, body: { id: `9${recipient.slice(1)}`, type: 1, recipients: [{ id: recipient }] } };
      }
      case 'POST /channels/:id/messages': {
        if (!this.authorised(r)) return discordError(401, 0, '401: Unauthorized');
        const m = this.message(r, parts[2]);
        this.channelMessages.push(m);
        return { status: 200, body: m };
      }
      default:
        return discordError(404, 0, '404: Not Found');
    }
  }
}

/** `PATCH /v10/webhooks/123/tok/messages/@original` → `PATCH /webhooks/:id/:token/messages/@original`. */
export function routeKey(r: { method: string; path: string }): string {
  const p = r.path.replace(/^\/v10/, '');
  const segs = p.split('/').filter(Boolean);
  const out = segs.map((s, i) => {
    const prev = segs[i - 1];
    if (prev === 'webhooks' || prev === 'interactions') return ':id';
    if (segs[i - 2] === 'webhooks' || segs[i - 2] === 'interactions') return ':token';
    if (/^\d+$/.test(s)) return ':id';
    return s;
  });
  return `${r.method} /${out.join('/')}`;
}

/** A Discord error body; for 429 also the rate-limit headers discord.js reads. */
export function discordError(status: number, code: number, message: string, retryAfterSeconds?: number): CannedResponse {
  if (status === 429) {
    const s = retryAfterSeconds ?? 1;
    return {
      status,
      headers: { 'retry-after': String(s), 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(s), 'x-ratelimit-bucket': 'standin-bucket' },
      body: { message: 'You are being rate limited.', retry_after: s, global: false, code: 0 },
    };
  }
  return { status, body: { message, code } };
}
