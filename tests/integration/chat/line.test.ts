import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverLine, REPLY_TOKEN_FRESH_MS } from '../../../src/adapters/chat/line/line-send.ts';
import { RetryLaterError } from '../../../src/alerts/alert.ts';
import { lineError, linePostbackEvent, lineSignature, lineTextEvent } from '../../support/standins/line.ts';
import { type ChatHarness, closeDatabases, eventually, LINE_SECRET, startChatHarness, USERS } from './support/chat-harness.ts';
import { PNG_MAGIC, writeTestChart } from './support/png.ts';

afterAll(() => closeDatabases());

const { admin, trader, viewer, stranger } = USERS.line;

type Sent = { via: 'reply' | 'push'; to?: string; message: Record<string, any> };


describe('LINE webhook (@line/bot-sdk against the Messaging API stand-in)', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ line: true, publicUrl: true });
  });
  afterAll(() => h?.close());

  /** Send one event, expect 200, and wait for the next message the bot sends. */
  async function say(event: object): Promise<Sent> {
    const before = h.line!.sent().length;
    const res = await h.postLine([event]);
    expect(res.status).toBe(200);
    await eventually(() => h.line!.sent().length > before);
    return h.line!.sent()[before];
  }

  it('refuses 1,000 requests with a bad or missing signature: nothing runs, nothing is sent', async () => {
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const n = batch * 100 + i;
          const body = JSON.stringify({ destination: 'Ubot', events: [lineTextEvent(admin, '/stop')] });
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (n % 4 === 1) headers['x-line-signature'] = lineSignature(body, `${LINE_SECRET}-wrong`);
          if (n % 4 === 2) headers['x-line-signature'] = lineSignature(`${body} `, LINE_SECRET); // signed, then altered
          if (n % 4 === 3) headers['x-line-signature'] = Buffer.from(`forged-${n}`).toString('base64');
          return fetch(`${h.http.url}/webhooks/line`, { method: 'POST', body, headers });
        }),
      );
      statuses.push(...results.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.handled).toHaveLength(0);
    expect(h.line!.server.requests).toHaveLength(0);
  });

  it('accepts LINE’s empty verification request', async () => {
    const body = JSON.stringify({ destination: 'Ubot', events: [] });
    const res = await fetch(`${h.http.url}/webhooks/line`, { method: 'POST', body, headers: { 'x-line-signature': lineSignature(body, LINE_SECRET) } });
    expect(res.status).toBe(200);
  });

  it('answers the shared commands typed with or without a slash, by reply token', async () => {
    const help = await say(lineTextEvent(admin, 'help', { replyToken: 'rt-help' }));
    expect(help.via).toBe('reply');
    expect(h.line!.calls('/v2/bot/message/reply').at(-1)!.body.replyToken).toBe('rt-help');
    expect(help.message.text).toMatch(/\/status[\s\S]*\/backtest/);
    expect((await say(lineTextEvent(admin, '/whoami'))).message.text).toContain(`line:${admin}`);
    const status = await say(lineTextEvent(viewer, 'status'));
    expect(status.message.text).toMatch(/ACTIVE/);
    const flex = h.line!.sent().find((s) => s.message.type === 'flex');
    expect(flex?.message.altText).toMatch(/rows\)$/);
  });

  it('shows the loading animation while a command runs in a one-on-one chat, before the answer', async () => {
    const loading = () => h.line!.calls('/v2/bot/chat/loading/start');
    const before = loading().length;
    const requests = h.line!.server.requests.length;
    await say(lineTextEvent(viewer, '/positions', { replyToken: 'rt-loading' }));
    expect(loading().slice(before)).toHaveLength(1);
    expect(loading().at(-1)!.body).toEqual({ chatId: viewer, loadingSeconds: 20 });
    expect(loading().at(-1)!.status).toBe(202);
    const order = h.line!.server.requests.slice(requests).map((r) => r.path);
    expect(order.indexOf('/v2/bot/chat/loading/start')).toBeLessThan(order.indexOf('/v2/bot/message/reply'));
    // Groups get no animation (LINE offers it in user chats only); a refused animation costs nothing else.
    await say(lineTextEvent(viewer, '/positions', { groupId: `C${'1'.repeat(32)}` }));
    expect(loading().slice(before)).toHaveLength(1);
    h.line!.failNext('/v2/bot/chat/loading/start', lineError(500, 'boom'));
    expect((await say(lineTextEvent(viewer, '/whoami'))).message.text).toContain(`line:${viewer}`);
    expect(loading().slice(before)).toHaveLength(2);
  });

  it('applies roles and refuses strangers with their id', async () => {
    expect((await say(lineTextEvent(viewer, '/stop'))).message.text).toMatch(/needs the admin role/);
    expect((await say(lineTextEvent(stranger, 'status'))).message.text).toContain(`line:${stranger}`);
  });

  it('confirms /stop with a quick-reply postback from the same user only', async () => {
    const ask = await say(lineTextEvent(admin, '/stop'));
    const items = ask.message.quickReply.items as Array<{ action: { type: string; label: string; data: string } }>;
    expect(items.map((i) => [i.action.type, i.action.label])).toEqual([['postback', 'Confirm'], ['postback', 'Cancel']]);
    const data = items[0].action.data;
    expect(data).toMatch(/^\/confirm [A-Z2-9]{6}$/);
    expect((await say(linePostbackEvent(trader, data))).message.text).toMatch(/someone else/);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    expect((await say(linePostbackEvent(admin, data))).message.text).toMatch(/Stopped/);
    expect(h.services.data.tradingState.state).toBe('HALTED');
    await say(lineTextEvent(admin, '/resume'));
  });

  it('runs a redelivered event once (same webhookEventId)', async () => {
    const event = lineTextEvent(admin, 'whoami', { webhookEventId: '01HREDELIVERY0000000000000A' });
    await say(event);
    const before = h.line!.sent().length;
    const again = { ...event, deliveryContext: { isRedelivery: true }, replyToken: 'rt-redelivered' };
    expect((await h.postLine([again])).status).toBe(200);
    expect((await h.postLine([again, again])).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.line!.sent()).toHaveLength(before);
    expect(h.handled.filter((i) => i.deliveryId === '01HREDELIVERY0000000000000A')).toHaveLength(1);
  });

  it('pushes when the reply token is no longer usable', async () => {
    h.line!.expiredReplyTokens.add('rt-expired');
    const answer = await say(lineTextEvent(admin, 'whoami', { replyToken: 'rt-expired' }));
    expect(answer.via).toBe('push');
    expect(answer.to).toBe(admin);
    expect(h.line!.calls('/v2/bot/message/push').at(-1)!.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not try a reply token that is older than the freshness window, nor one of a redelivery', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: h.line!.accessToken, baseURL: h.line!.url });
    const replies = h.line!.calls('/v2/bot/message/reply').length;
    const now = Date.now();
    await deliverLine(client, { to: admin, replyToken: 'rt-old', receivedAt: now - REPLY_TOKEN_FRESH_MS }, [{ type: 'text', text: 'late' }], () => now);
    await deliverLine(client, { to: admin, replyToken: 'rt-again', receivedAt: now, isRedelivery: true }, [{ type: 'text', text: 'again' }], () => now);
    expect(h.line!.calls('/v2/bot/message/reply')).toHaveLength(replies);
    expect(h.line!.sent().slice(-2).map((s) => [s.via, s.message.text])).toEqual([['push', 'late'], ['push', 'again']]);
    const fresh = await deliverLine(client, { to: admin, replyToken: 'rt-fresh', receivedAt: now }, Array.from({ length: 7 }, (_, i) => ({ type: 'text' as const, text: `m${i}` })), () => now);
    expect(fresh.replied).toBe(true);
    expect(h.line!.sent().slice(-7).map((s) => s.via)).toEqual(['reply', 'reply', 'reply', 'reply', 'reply', 'push', 'push']);
  });

  it('runs /backtest: queued by reply, result pushed with the chart as an expiring image URL', async () => {
    const queued = await say(lineTextEvent(trader, 'backtest sma-cross ETH/USDT 4h'));
    expect(queued.message.text).toMatch(/Backtest #\d+ queued/);
    const run = h.services.data.runs.at(-1)!;
    const requestedBy = h.services.calls.enqueue.at(-1)!.requestedBy;
    expect(requestedBy).toEqual({ platform: 'line', userId: trader, chatId: trader });
    const chartPath = writeTestChart();
    const before = h.line!.sent().length;
    h.services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.5, requestedBy });
    h.services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy, summary: 'Return 3 %', chartPath, metrics: { returnPct: 3 } });
    await eventually(() => h.line!.sent().slice(before).some((s) => s.message.type === 'image'));
    const pushed = h.line!.sent().slice(before);
    expect(pushed.every((s) => s.via === 'push' && s.to === trader)).toBe(true);
    expect(pushed[0].message.text).toMatch(/done/);
    expect(pushed.some((s) => s.message.type === 'flex')).toBe(true);
    const image = pushed.find((s) => s.message.type === 'image')!.message as { originalContentUrl: string; previewImageUrl: string };
    expect(image.originalContentUrl).toBe(image.previewImageUrl);
    expect(image.originalContentUrl).toMatch(new RegExp(`^${h.http.url}/charts/[A-Za-z0-9_-]{43}\\.png$`));
    expect(image.originalContentUrl).not.toContain('equity');

    const served = await fetch(image.originalContentUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).subarray(0, 8)).toEqual(PNG_MAGIC);
    h.chartClock.t += 3_600_000;
    expect((await fetch(image.originalContentUrl)).status).toBe(404);
  });
});

describe('LINE without PUBLIC_URL, and its alert sender', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ line: true });
  });
  afterAll(() => h?.close());

  it('describes charts in text when no image URL can be made', async () => {
    const res = await h.postLine([lineTextEvent(trader, '/backtest sma-cross BTC/USDT 1h')]);
    expect(res.status).toBe(200);
    await eventually(() => h.services.calls.enqueue.length === 1 && h.line!.sent().length === 1);
    const run = h.services.data.runs.at(-1)!;
    const requestedBy = h.services.calls.enqueue[0].requestedBy;
    h.services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy, chartPath: writeTestChart() });
    await eventually(() => h.line!.sent().length > 1);
    const pushed = h.line!.sent().slice(1);
    expect(pushed.some((s) => s.message.type === 'image')).toBe(false);
    expect(pushed[0].message.text).toMatch(/Equity curve of backtest #\d+/);
  });

  it('turns a 429 into RetryLaterError (Retry-After) and resends idempotently with the same retry key', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'line')!;
    const alert = { type: 'exit', severity: 'warning' as const, body: { title: 'Exit', text: ['BTC/USDT closed'] }, silent: true, createdAt: 1_700_000_000_000 };
    h.line!.failNext('/v2/bot/message/push', lineError(429, 'Too Many Requests', { 'retry-after': '5' }));
    const t0 = Date.now();
    const err = await sender.send(admin, alert).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAt).toBeGreaterThanOrEqual(t0 + 5_000);
    expect((err as RetryLaterError).retryAt).toBeLessThanOrEqual(Date.now() + 5_000);
    await sender.send(admin, alert);
    await sender.send(admin, alert); // LINE answers 409: already accepted — counted as sent
    const pushes = h.line!.calls('/v2/bot/message/push').slice(-3);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
    expect(pushes[1].body).toMatchObject({ to: admin, notificationDisabled: true });
    // Delivered once: the 429 was refused and the resend with the same key was recognised.
    expect(h.line!.sent().filter((s) => s.message.text === 'Exit\n\nBTC/USDT closed')).toHaveLength(1);
    expect(pushes.map((p) => p.status)).toEqual([429, 200, 409]);
  });
});
