import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { mountDiscordInteractions } from '../../../src/adapters/chat/discord/interactions-route.ts';
import type { InteractionPayload } from '../../../src/adapters/chat/discord/interactions.ts';
import { mountLineWebhook } from '../../../src/adapters/chat/line/line-webhook-route.ts';
import type { LineEvent } from '../../../src/adapters/chat/line/line-events.ts';
import { safeEqual } from '../../../src/adapters/chat/secret-compare.ts';
import { mountTelegramWebhook } from '../../../src/adapters/chat/telegram/telegram-webhook-route.ts';

const logger = pino({ level: 'silent' });

describe('LINE webhook: the signature is checked against the raw body', () => {
  const secret = 'line-channel-secret-0123456789';
  const lineSig = (body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  function app() {
    const received: LineEvent[][] = [];
    const a = new Hono();
    mountLineWebhook(a, { channelSecret: secret, logger, onEvents: (events) => (received.push(events), true), now: () => 5 });
    return { a, received };
  }
  const post = (a: Hono, body: string, signature?: string) =>
    a.request('/webhooks/line', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-line-signature': signature } : {}) } });

  // LINE's own formatting: spaces, key order and escaped non-ASCII that JSON.stringify would change.
  const raw = '{ "destination":"U0",\n  "events":[ {"type":"message","message":{"type":"text","text":"/status \\u00e9"},\n "timestamp":1700000000000 } ] }';
  const reserialised = JSON.stringify(JSON.parse(raw));

  it('accepts the body exactly as LINE sent it (whitespace and escapes included)', async () => {
    expect(reserialised).not.toBe(raw);
    const { a, received } = app();
    const res = await post(a, raw, lineSig(raw));
    expect(res.status).toBe(200);
    expect(received).toEqual([[{ type: 'message', message: { type: 'text', text: '/status é' }, timestamp: 1_700_000_000_000 }]]);
  });

  it('refuses a signature made over the re-serialised JSON, a wrong secret or no signature', async () => {
    const { a, received } = app();
    expect((await post(a, raw, lineSig(reserialised))).status).toBe(401);
    expect((await post(a, raw, createHmac('sha256', 'other').update(raw).digest('base64'))).status).toBe(401);
    expect((await post(a, raw)).status).toBe(401);
    expect((await post(a, `${raw} `, lineSig(raw))).status).toBe(401);
    expect(received).toEqual([]);
  });

  it('answers the console\'s Verify (no events) with 200, bad JSON with 400, and 503 while stopping', async () => {
    const { a, received } = app();
    expect((await post(a, '{"events":[]}', lineSig('{"events":[]}'))).status).toBe(200);
    expect((await post(a, '{bad', lineSig('{bad'))).status).toBe(400);
    expect(received).toEqual([]);
    const stopping = new Hono();
    mountLineWebhook(stopping, { channelSecret: secret, logger, onEvents: () => false });
    expect((await post(stopping, raw, lineSig(raw))).status).toBe(503);
  });
});

describe('Telegram webhook: the secret token header', () => {
  const secret = 'tg_webhook-SECRET_42';
  function app(accept = true) {
    const updates: unknown[] = [];
    const a = new Hono();
    mountTelegramWebhook(a, { secret, logger, onUpdate: (u) => (updates.push(u), accept) });
    return { a, updates };
  }
  const post = (a: Hono, body: string, token?: string) =>
    a.request('/webhooks/telegram', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(token !== undefined ? { 'x-telegram-bot-api-secret-token': token } : {}) } });
  const update = JSON.stringify({ update_id: 7, message: { text: '/status' } });

  it('passes an update with the right token', async () => {
    const { a, updates } = app();
    const res = await post(a, update, secret);
    expect(res.status).toBe(200);
    expect(updates).toEqual([{ update_id: 7, message: { text: '/status' } }]);
  });

  it('missing or wrong (also a prefix or an extension of the right one) → 401, nothing handed on', async () => {
    const { a, updates } = app();
    expect((await post(a, update)).status).toBe(401);
    expect((await post(a, update, '')).status).toBe(401);
    for (const wrong of ['nope', secret.slice(0, -1), `${secret}x`, secret.toLowerCase()]) expect((await post(a, update, wrong)).status, wrong).toBe(401);
    expect(updates).toEqual([]);
  });

  it('bad JSON or no update_id → 400; 503 while stopping', async () => {
    const { a } = app();
    expect((await post(a, '{bad', secret)).status).toBe(400);
    expect((await post(a, '{"message":{}}', secret)).status).toBe(400);
    expect((await post(a, '{"update_id":"7"}', secret)).status).toBe(400);
    expect((await post(app(false).a, update, secret)).status).toBe(503);
  });

  it('refuses to mount without a secret', () => {
    expect(() => mountTelegramWebhook(new Hono(), { secret: '', logger, onUpdate: () => true })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('compares secrets exactly, whatever their length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('ab', 'abc')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('Discord interactions route: the signature is checked over timestamp + raw body', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString('hex');
  const NOW = 1_750_000_000_000;
  const ts = String(NOW / 1000);
  const signed = (body: string, at = ts) => sign(null, Buffer.from(at + body), privateKey).toString('hex');
  function app() {
    const handled: InteractionPayload[] = [];
    const a = new Hono();
    mountDiscordInteractions(a, { publicKey: hex, logger, now: () => NOW, runLater: () => {}, handle: async (p) => (handled.push(p), { response: { type: 1 } }) });
    return { a, handled };
  }
  const post = (a: Hono, body: string, headers: Record<string, string>) => a.request('/interactions/discord', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const ping = '{ "type": 1,  "id":"1" }';

  it('answers a correctly signed PING', async () => {
    const { a, handled } = app();
    const res = await post(a, ping, { 'x-signature-ed25519': signed(ping), 'x-signature-timestamp': ts });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
    expect(handled).toHaveLength(1);
  });

  it('refuses re-serialised, missing, stale and future-signed requests with 401, handling nothing', async () => {
    const { a, handled } = app();
    expect((await post(a, ping, { 'x-signature-ed25519': signed(JSON.stringify(JSON.parse(ping))), 'x-signature-timestamp': ts })).status).toBe(401);
    expect((await post(a, ping, { 'x-signature-timestamp': ts })).status).toBe(401);
    for (const at of [String(NOW / 1000 - 301), String(NOW / 1000 + 301)]) {
      expect((await post(a, ping, { 'x-signature-ed25519': signed(ping, at), 'x-signature-timestamp': at })).status, at).toBe(401);
    }
    expect(handled).toEqual([]);
  });

  it('bad JSON or no type → 400', async () => {
    const { a, handled } = app();
    for (const body of ['{bad', '{"id":"1"}']) expect((await post(a, body, { 'x-signature-ed25519': signed(body), 'x-signature-timestamp': ts })).status, body).toBe(400);
    expect(handled).toEqual([]);
  });
});
