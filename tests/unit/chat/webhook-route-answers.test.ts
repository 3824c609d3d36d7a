import { EventEmitter } from 'node:events';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { mountDiscordInteractions } from '../../../src/adapters/chat/discord/interactions-route.ts';
import type { InteractionOutcome } from '../../../src/adapters/chat/discord/interactions.ts';
import { mountLineWebhook } from '../../../src/adapters/chat/line/line-webhook-route.ts';
import type { LineEvent } from '../../../src/adapters/chat/line/line-events.ts';
import { mountTelegramWebhook } from '../../../src/adapters/chat/telegram/telegram-webhook-route.ts';
import { createLogger } from '../../../src/logger.ts';

/**
 * What the chat webhook routes answer the platform in each case (status and JSON body: the body is
 * what an operator sees in the platform's delivery log), the 1 MiB body limit in front of each, and
 * when the Discord route starts a deferred answer's follow-up.
 */

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}
const quiet = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

const MiB = 1024 * 1024;
const answer = async (res: Response | Promise<Response>) => {
  const r = await res;
  return [r.status, await r.json()];
};

describe('Telegram webhook answers', () => {
  const secret = 'tg_webhook-SECRET_42';
  function app(accept = true) {
    const updates: unknown[] = [];
    const a = new Hono();
    mountTelegramWebhook(a, { secret, logger: quiet, onUpdate: (u) => (updates.push(u), accept) });
    return { a, updates };
  }
  /** `token: null` sends no header. */
  const post = (a: Hono, body: string, token: string | null = secret) =>
    a.request('/webhooks/telegram', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(token !== null ? { 'x-telegram-bot-api-secret-token': token } : {}) } });

  it('names the problem in each refusal body', async () => {
    const { a, updates } = app();
    expect(await answer(post(a, '{"update_id":1}', null))).toEqual([401, { error: 'invalid secret token' }]);
    expect(await answer(post(a, '{"update_id":1}', 'wrong'))).toEqual([401, { error: 'invalid secret token' }]);
    expect(await answer(post(a, '{bad'))).toEqual([400, { error: 'bad json' }]);
    expect(await answer(post(a, 'null'))).toEqual([400, { error: 'not an update' }]);
    expect(await answer(post(a, '[1]'))).toEqual([400, { error: 'not an update' }]);
    expect(await answer(post(a, '{"update_id":"7"}'))).toEqual([400, { error: 'not an update' }]);
    expect(await answer(post(app(false).a, '{"update_id":1}'))).toEqual([503, { error: 'stopping' }]);
    expect(updates).toEqual([]);
  });

  it('answers a good update {ok: true}', async () => {
    const { a, updates } = app();
    expect(await answer(post(a, '{"update_id":9}'))).toEqual([200, { ok: true }]);
    expect(updates).toEqual([{ update_id: 9 }]);
  });

  it('refuses a body over 1 MiB with 413 before handing anything on, and takes one just under it', async () => {
    const { a, updates } = app();
    const pad = (size: number) => `{"update_id":3,"pad":"${'x'.repeat(size - 24)}"}`;
    expect(pad(MiB)).toHaveLength(MiB);
    expect(await answer(post(a, pad(MiB + 1)))).toEqual([413, { error: 'too large' }]);
    expect(updates).toEqual([]);
    expect((await post(a, pad(MiB))).status).toBe(200);
    expect(updates).toHaveLength(1);
  });
});

describe('LINE webhook answers', () => {
  const secret = 'line-channel-secret-0123456789';
  const lineSig = (body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  function app(accept = true) {
    const received: Array<[LineEvent[], number]> = [];
    let clock = 1_000;
    const a = new Hono();
    mountLineWebhook(a, { channelSecret: secret, logger: quiet, onEvents: (events, at) => (received.push([events, at]), accept), now: () => clock++ });
    return { a, received };
  }
  /** `signature: null` sends no header. */
  const post = (a: Hono, body: string, signature: string | null = lineSig(body)) =>
    a.request('/webhooks/line', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-line-signature': signature } : {}) } });
  const events = '{"events":[{"type":"follow","timestamp":1}]}';

  it('names the problem in each refusal body', async () => {
    const { a, received } = app();
    expect(await answer(post(a, events, null))).toEqual([401, { error: 'invalid signature' }]);
    expect(await answer(post(a, events, lineSig('other')))).toEqual([401, { error: 'invalid signature' }]);
    expect(await answer(post(a, '{bad'))).toEqual([400, { error: 'bad json' }]);
    expect(await answer(post(app(false).a, events))).toEqual([503, { error: 'stopping' }]);
    expect(received).toEqual([]);
  });

  it('hands the events on with the time the request arrived, answering {ok: true}', async () => {
    const { a, received } = app();
    expect(await answer(post(a, events))).toEqual([200, { ok: true }]);
    expect(received).toEqual([[[{ type: 'follow', timestamp: 1 }], 1_000]]);
  });

  it('answers a body without events (or with events not a list) 200 without handing anything on, even while stopping', async () => {
    const { a, received } = app(false);
    expect(await answer(post(a, '{"destination":"U0"}'))).toEqual([200, { ok: true }]);
    expect(await answer(post(a, '{"events":{"type":"follow"}}'))).toEqual([200, { ok: true }]);
    expect(await answer(post(a, '{"events":[]}'))).toEqual([200, { ok: true }]);
    expect(received).toEqual([]);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const { a, received } = app();
    const body = `{"events":[],"pad":"${'x'.repeat(MiB)}"}`;
    expect(await answer(post(a, body))).toEqual([413, { error: 'too large' }]);
    expect(received).toEqual([]);
  });
});

describe('Discord interactions answers and deferred follow-ups', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString('hex');
  const NOW = 1_750_000_000_000;
  const ts = String(NOW / 1000);
  const headers = (body: string, at = ts) => ({ 'content-type': 'application/json', 'x-signature-ed25519': sign(null, Buffer.from(at + body), privateKey).toString('hex'), 'x-signature-timestamp': at });
  const command = '{"type":2,"id":"1","application_id":"a","token":"t","data":{"name":"status"}}';

  function app(outcome: InteractionOutcome, logger = quiet) {
    const later: Array<[string, () => Promise<void>]> = [];
    const a = new Hono();
    mountDiscordInteractions(a, { publicKey: hex, logger, now: () => NOW, runLater: (what, fn) => later.push([what, fn]), handle: async () => outcome });
    return { a, later };
  }
  const post = (a: Hono, body: string, h: Record<string, string> = headers(body), env?: object) =>
    a.request('/interactions/discord', { method: 'POST', body, headers: h }, env);

  it('names the problem in each refusal body, and logs why a signature was refused', async () => {
    const { logger, lines } = logCapture();
    const { a } = app({ response: { type: 1 } }, logger);
    expect(await answer(post(a, command, { 'x-signature-timestamp': ts }))).toEqual([401, { error: 'invalid request signature' }]);
    expect(await answer(post(a, command, headers(command, String(NOW / 1000 - 400))))).toEqual([401, { error: 'invalid request signature' }]);
    expect(await answer(post(a, '{bad'))).toEqual([400, { error: 'bad json' }]);
    expect(await answer(post(a, 'null'))).toEqual([400, { error: 'not an interaction' }]);
    expect(await answer(post(a, '{"type":"2"}'))).toEqual([400, { error: 'not an interaction' }]);
    expect(lines.map((l) => [l.level, l.check, l.msg])).toEqual([
      [20, 'missing', 'discord interaction refused'],
      [20, 'stale', 'discord interaction refused'],
    ]);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const { a } = app({ response: { type: 1 } });
    const body = `{"type":1,"pad":"${'x'.repeat(MiB)}"}`;
    expect(await answer(post(a, body))).toEqual([413, { error: 'too large' }]);
  });

  it('starts no follow-up for an answer that has none', async () => {
    const { a, later } = app({ response: { type: 4, data: { content: 'ok' } } });
    expect(await answer(post(a, command))).toEqual([200, { type: 4, data: { content: 'ok' } }]);
    await new Promise((r) => setImmediate(r));
    expect(later).toEqual([]);
  });

  it('starts a deferred answer\'s follow-up only once the node response has closed', async () => {
    const followUp = async () => {};
    const { a, later } = app({ response: { type: 5 }, followUp });
    const outgoing = new EventEmitter();
    expect(await answer(post(a, command, headers(command), { outgoing }))).toEqual([200, { type: 5 }]);
    await new Promise((r) => setImmediate(r));
    expect(later).toEqual([]);
    outgoing.emit('close');
    expect(later).toEqual([['discord follow-up', followUp]]);
  });

  it('starts the follow-up on the next turn of the event loop when there is no node response to wait for', async () => {
    const followUp = async () => {};
    for (const env of [undefined, { outgoing: {} }]) {
      const { a, later } = app({ response: { type: 5 }, followUp });
      expect(await answer(post(a, command, headers(command), env))).toEqual([200, { type: 5 }]);
      expect(later).toEqual([]);
      await new Promise((r) => setImmediate(r));
      expect(later, JSON.stringify(env)).toEqual([['discord follow-up', followUp]]);
    }
  });
});
