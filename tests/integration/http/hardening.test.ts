import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../../src/adapters/http/server.ts';
import type { HardeningEvent, HttpHardening } from '../../../src/adapters/http/hardening/hardening.ts';
import { mountTelegramWebhook } from '../../../src/adapters/chat/telegram/telegram-webhook-route.ts';
import { HTML_CSP } from '../../../src/adapters/http/hardening/security-headers.ts';

const logger = pino({ level: 'silent' });
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  processed: number;
  events: HardeningEvent[];
  url: string;
  hardening: HttpHardening;
}

/** A server with one signed route (X-Key must be "right"), one slow route and one HTML page. */
async function setup(limits: Record<string, unknown> = {}): Promise<Setup> {
  const s = { processed: 0, events: [] as HardeningEvent[] } as Setup;
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    readiness: [],
    hardening: { ratePerMinute: 100_000, banAfter: 10, timeoutMs: 500, bodyLimitBytes: 1024, onEvent: (e) => s.events.push(e), ...limits },
    mount: [
      (app, h) => {
        app.post('/signed', async (c) => {
          const body = await c.req.text();
          if (c.req.header('x-key') !== 'right') return c.json({ error: 'bad signature' }, 401);
          s.processed++;
          return c.json({ ok: true, size: body.length });
        });
        app.post('/marked', (c) => {
          h.markBadSignature(c);
          return c.json({ error: 'forbidden' }, 403);
        });
        app.get('/slow', async (c) => {
          await new Promise((r) => setTimeout(r, 2_000));
          return c.json({ ok: true });
        });
        app.get('/page', (c) => c.html('<h1>hi</h1>'));
        app.get('/cached', (c) => c.body('x', 200, { 'Cache-Control': 'public, max-age=60' }));
        h.limitRoute('/limited', { ratePerMinute: 5 });
        app.get('/limited', (c) => c.json({ ok: true }));
      },
    ],
  });
  s.url = server.url;
  s.hardening = server.hardening;
  return s;
}

describe('HTTP hardening on every route', () => {
  it('1,000 bad signatures: nothing processed and the address banned, good requests refused while banned', async () => {
    const s = await setup();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const res = await fetch(`${s.url}/signed`, { method: 'POST', headers: { 'x-key': `wrong-${i}` }, body: '{}' });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
    }
    expect(s.processed).toBe(0);
    expect(statuses.get(401)).toBe(10);
    expect(statuses.get(403)).toBe(990);
    expect(s.hardening.banned()).toEqual(['127.0.0.1']);
    expect(s.events.filter((e) => e.outcome === 'ban_started')).toHaveLength(1);
    const good = await fetch(`${s.url}/signed`, { method: 'POST', headers: { 'x-key': 'right' }, body: '{}' });
    expect(good.status).toBe(403);
    expect(Number(good.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(s.processed).toBe(0);
  });

  it('a route can count a failure without answering 401', async () => {
    const s = await setup({ banAfter: 3 });
    for (let i = 0; i < 3; i++) await (await fetch(`${s.url}/marked`, { method: 'POST' })).arrayBuffer();
    expect(s.hardening.banned()).toEqual(['127.0.0.1']);
  });

  it("the chat webhooks' failed secrets count too: a wrong Telegram secret token bans the address", async () => {
    let handed = 0;
    const events: HardeningEvent[] = [];
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      readiness: [],
      hardening: { ratePerMinute: 100_000, banAfter: 5, onEvent: (e) => events.push(e) },
      mount: [(app) => mountTelegramWebhook(app, { secret: 'telegram-secret-token', logger, onUpdate: () => (handed++, true) })],
    });
    const post = async (token: string) => {
      const res = await fetch(`${server!.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token }, body: '{"update_id":1}' });
      await res.arrayBuffer();
      return res.status;
    };
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push(await post(`wrong-${i}`));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 403, 403, 403]);
    expect(server.hardening.banned()).toEqual(['127.0.0.1']);
    expect(events.filter((e) => e.outcome === 'bad_signature' && e.route === '/webhooks')).toHaveLength(5);
    expect(await post('telegram-secret-token')).toBe(403);
    expect(handed).toBe(0);
  });

  it('per-route rate limit: 429 with Retry-After past the limit, other routes unaffected', async () => {
    const s = await setup();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await fetch(`${s.url}/limited`)).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const res = await fetch(`${s.url}/limited`);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${s.url}/page`)).status).toBe(200);
    expect(s.events.some((e) => e.outcome === 'rate_limited' && e.route === '/limited')).toBe(true);
  });

  it('per-address default limit applies to routes without their own', async () => {
    const s = await setup({ ratePerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await fetch(`${s.url}/page`)).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('body limit: 413 from Content-Length and from a chunked body, nothing processed', async () => {
    const s = await setup();
    const big = await fetch(`${s.url}/signed`, { method: 'POST', headers: { 'x-key': 'right' }, body: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${s.url}/signed`, { method: 'POST', headers: { 'x-key': 'right', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('y'.repeat(512));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(s.processed).toBe(0);
    const small = await fetch(`${s.url}/signed`, { method: 'POST', headers: { 'x-key': 'right' }, body: 'x'.repeat(100) });
    expect(await small.json()).toEqual({ ok: true, size: 100 });
  });

  it('a handler that takes too long is answered 503', async () => {
    const s = await setup();
    const res = await fetch(`${s.url}/slow`);
    expect(res.status).toBe(503);
    expect(s.events.some((e) => e.outcome === 'timeout')).toBe(true);
  });

  it('security headers on every answer; strict CSP on HTML; no-store unless the route chose caching', async () => {
    const s = await setup();
    for (const path of ['/healthz', '/page', '/nowhere']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const page = await fetch(`${s.url}/page`);
    expect(page.headers.get('content-security-policy')).toBe(HTML_CSP);
    expect((await fetch(`${s.url}/healthz`)).headers.get('content-security-policy')).toBeNull();
    expect((await fetch(`${s.url}/cached`)).headers.get('cache-control')).toBe('public, max-age=60');
  });
});
