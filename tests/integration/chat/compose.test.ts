import { PassThrough } from 'node:stream';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { createCommandRouter } from '../../../commands/router.ts';
import { parseChatUsers } from '../../../commands/users.ts';
import { createChat } from '../../../src/adapters/chat/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { databaseTargets } from '../../support/databases.ts';
import { createFakeServices, FAKE_T0 } from '../../support/fake-services.ts';
import { LineStandIn, lineSignature, lineTextEvent } from '../../support/standins/line.ts';
import { TelegramStandIn } from '../../support/standins/telegram.ts';
import { closeDatabases, eventually, startChatHarness, USERS } from './support/chat-harness.ts';
import { createDbChatStore } from '../../../src/adapters/db/chat-store.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';

const target = databaseTargets()[0];
afterAll(async () => {
  await target.cleanup();
  await closeDatabases();
});

const logger = pino({ level: 'silent' });

async function parts(env: Record<string, string>) {
  const database = await target.open();
  const config = loadConfig({ DATA_DIR: 'memory://', CONSOLE: 'false', ...env });
  const services = createFakeServices();
  const router = createCommandRouter({ commands: COMMANDS, services, store: createDbChatStore(database.db), logger, clock: new ManualClock(FAKE_T0), users: parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS), rateLimitPerMinute: 100 });
  return { database, config, services, router, logger };
}

describe('createChat', () => {
  it('runs with no platform at all: nothing mounted, nothing to send through', async () => {
    const p = await parts({});
    const chat = await createChat(p);
    expect(chat.platforms).toEqual([]);
    expect(chat.senders).toEqual([]);
    const app = new Hono();
    chat.mount(app);
    expect((await app.request('/webhooks/telegram', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/interactions/discord', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/webhooks/line', { method: 'POST' })).status).toBe(404);
    await chat.start();
    await chat.stop();
    await p.database.close();
  });

  it('runs the console alone (CONSOLE=true) with the same commands', async () => {
    const p = await parts({ CONSOLE: 'true' });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (c: Buffer) => (out += c.toString()));
    const chat = await createChat({ ...p, input, output });
    expect(chat.platforms).toEqual(['console']);
    await chat.start();
    input.write('/whoami\n');
    await eventually(() => /console/.test(out) && /admin/.test(out));
    await chat.stop();
    await p.database.close();
  });

  it('enables each platform by its credentials and gives one alert sender per platform', async () => {
    const h = await startChatHarness({ telegram: 'webhook', discord: true, line: true });
    try {
      expect(h.chat.platforms).toEqual(['telegram', 'discord', 'line']);
      expect(h.chat.senders.map((s) => s.channel)).toEqual(['telegram', 'discord', 'line']);
      // The shared commands on all three at once.
      expect((await h.postTelegram({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: USERS.telegram.admin, type: 'private' }, from: { id: USERS.telegram.admin, is_bot: false, first_name: 'a' }, text: '/whoami' } })).status).toBe(200);
      expect((await h.postLine([lineTextEvent(USERS.line.admin, 'whoami')])).status).toBe(200);
      await eventually(() => h.handled.length === 2);
      await h.telegram!.waitFor((r) => r.some((x) => x.path.endsWith('/sendMessage')));
      await eventually(() => h.line!.sent().length === 1);
    } finally {
      await h.close();
    }
  });

  it('a standby starts only platforms several processes may receive on; Telegram long polling waits for the leader', async () => {
    const telegram = await new TelegramStandIn().start();
    const p = await parts({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, CONSOLE: 'true', CHAT_USERS: `telegram:${USERS.telegram.admin}=admin` });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (c: Buffer) => (out += c.toString()));
    const chat = await createChat({ ...p, input, output });
    try {
      expect(chat.platforms).toEqual(['telegram', 'console']);
      await chat.start('shared');
      input.write('/whoami\n');
      await eventually(() => /admin/.test(out));
      expect(telegram.calls('getMe')).toHaveLength(0);
      expect(telegram.calls('getUpdates')).toHaveLength(0);
      // Leading: the exclusive part starts; the console is not started twice.
      await chat.start('exclusive');
      await telegram.waitFor((r) => r.some((x) => x.path.endsWith('/getUpdates')), 10_000);
      expect(telegram.calls('getMe')).toHaveLength(1);
    } finally {
      await chat.stop();
      await telegram.close();
      await p.database.close();
    }
  });

  it('refuses Telegram webhook mode without a secret', async () => {
    const p = await parts({ TELEGRAM_BOT_TOKEN: '123:abc' });
    const config = { ...p.config, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/webhooks/telegram', TELEGRAM_WEBHOOK_SECRET: undefined };
    await expect(createChat({ ...p, config })).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    await p.database.close();
  });

  it('keeps the other platforms running when one fails to start, and stops cleanly', async () => {
    const telegram = await new TelegramStandIn('999:the-real-token-is-different-from-this-one').start();
    const line = await new LineStandIn().start();
    const p = await parts({
      TELEGRAM_BOT_TOKEN: '123456:wrong-token-for-this-bot-abcdefghijklmnop',
      TELEGRAM_API_ROOT: telegram.url,
      LINE_CHANNEL_SECRET: 'line-secret',
      LINE_CHANNEL_ACCESS_TOKEN: line.accessToken,
      LINE_API_URL: line.url,
      CHAT_USERS: `line:${USERS.line.admin}=admin`,
    });
    const chat = await createChat(p);
    const app = new Hono();
    chat.mount(app);
    await chat.start(); // Telegram answers 401 to getMe: logged, LINE still starts
    expect(telegram.calls('getMe')).toHaveLength(1);
    expect(telegram.calls('getUpdates')).toHaveLength(0);
    const body = JSON.stringify({ destination: 'U', events: [lineTextEvent(USERS.line.admin, 'whoami')] });
    const res = await app.request('/webhooks/line', { method: 'POST', body, headers: { 'x-line-signature': lineSignature(body, 'line-secret') } });
    expect(res.status).toBe(200);
    await eventually(() => line.sent().length === 1);
    await chat.stop();
    await Promise.all([telegram.close(), line.close()]);
    await p.database.close();
  });

  it('stops long polling on stop: no request after it returns', async () => {
    const h = await startChatHarness({ telegram: 'polling' });
    await h.telegram!.waitFor((r) => r.filter((x) => x.path.endsWith('/getUpdates')).length >= 2);
    await h.chat.stop();
    const count = h.telegram!.server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram!.server.requests.length).toBe(count);
    await h.close();
  });

  it('answers webhooks with 503 once stopped, so the platforms deliver again later', async () => {
    const h = await startChatHarness({ telegram: 'webhook', line: true });
    await h.chat.stop();
    const tg = await h.postTelegram({ update_id: 77, message: { message_id: 1, date: 0, chat: { id: USERS.telegram.admin, type: 'private' }, from: { id: USERS.telegram.admin, is_bot: false, first_name: 'a' }, text: '/status' } });
    expect(tg.status).toBe(503);
    expect((await h.postLine([lineTextEvent(USERS.line.admin, 'status')])).status).toBe(503);
    expect(h.handled).toHaveLength(0);
    await h.close();
  });
});
