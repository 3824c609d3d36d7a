import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { PermanentDeliveryError, RetryLaterError } from '../../../src/alerts/alert.ts';
import { callbackUpdate, telegramError, textUpdate } from '../../support/standins/telegram.ts';
import type { RecordedRequest } from '../../support/standins/recorder.ts';
import { type ChatHarness, closeDatabases, eventually, startChatHarness, USERS } from './support/chat-harness.ts';

afterAll(() => closeDatabases());
import { PNG_MAGIC, writeTestChart } from './support/png.ts';

const { admin, trader, viewer, stranger } = USERS.telegram;

/** Text of every message the bot sent or edited into chat `chatId`, oldest first. */
function texts(requests: RecordedRequest[], chatId: number): string[] {
  return requests.filter((r) => /\/(sendMessage|editMessageText)$/.test(r.path) && String(r.body.chat_id) === String(chatId)).map((r) => String(r.body.text));
}

describe('Telegram over long polling (telegraf against the Bot API stand-in)', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ telegram: 'polling' });
  });
  afterAll(() => h?.close());

  /**
   * Send a line as `user` through getUpdates and wait for the answer to that chat: every message of it
   * (a long answer such as /help is split at Telegram's 4,096-character limit), joined.
   */
  async function ask(user: number, text: string): Promise<string> {
    const before = texts(h.telegram!.server.requests, user).length;
    h.telegram!.pushUpdate(textUpdate(user, text));
    await h.telegram!.waitFor((r) => texts(r, user).length > before);
    for (let seen = -1; seen !== texts(h.telegram!.server.requests, user).length; ) {
      seen = texts(h.telegram!.server.requests, user).length;
      await new Promise((r) => setTimeout(r, 250));
    }
    return texts(h.telegram!.server.requests, user).slice(before).join('\n');
  }

  it('registers the command menu and polls, without a webhook', async () => {
    const menu = h.telegram!.calls('setMyCommands')[0].body.commands as Array<{ command: string; description: string }>;
    expect(menu.map((c) => c.command)).toEqual(COMMANDS.map((c) => c.name));
    for (const c of menu) expect(c.description.length).toBeGreaterThan(0);
    await h.telegram!.waitFor((r) => r.filter((x) => x.path.endsWith('/getUpdates')).length > 0);
    expect(h.telegram!.calls('deleteWebhook')).toHaveLength(1);
    expect(h.telegram!.calls('setWebhook')).toHaveLength(0);
  });

  it('answers every command once, rendered as Telegram HTML', async () => {
    expect(await ask(admin, '/help')).toMatch(/\/status[\s\S]*\/backtest/);
    expect(await ask(admin, '/whoami')).toContain(`telegram:${admin}`);
    expect(await ask(admin, '/status')).toMatch(/<b>[\s\S]*Trading ACTIVE[\s\S]*<pre>[\s\S]*BTC\/USDT/);
    expect(await ask(admin, '/positions')).toMatch(/<pre>[\s\S]*42500/);
    expect(await ask(admin, '/balance')).toMatch(/<pre>[\s\S]*USDT/);
    expect(await ask(admin, '/trades 3')).toMatch(/Last 3 trades/);
    expect(await ask(admin, '/pnl week 2')).toMatch(/P&amp;L per week/);
    expect(await ask(admin, '/strategies')).toMatch(/sma-cross/);
    expect(await ask(admin, '/backtests')).toMatch(/<pre>[\s\S]*sma-cross/);
    expect(await ask(admin, '/health')).toMatch(/Health/);
    expect(await ask(trader, '/pause thin market')).toMatch(/Paused/);
    expect(h.services.data.tradingState.state).toBe('REDUCING');
    expect(await ask(trader, '/resume')).toMatch(/Resumed/);
    expect(await ask(admin, '/audit 2')).toMatch(/Audit log/);
    expect(await ask(admin, '/alerts fill silent telegram')).toMatch(/fill alerts are now silent on telegram/);
    const ask2 = await ask(admin, '/stop maintenance');
    const code = /\/confirm ([A-Z2-9]{6})/.exec(ask2)![1];
    expect(await ask(admin, `/cancel ${code}`)).toMatch(/Cancelled: \/stop will not run/);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    // /backtest, /stop + /confirm are covered below with their buttons and follow-ups.
  });

  it('escapes what users type before echoing it', async () => {
    const said = await ask(admin, '/help st<b>atus&co');
    expect(said).toContain('/st&lt;b&gt;atus&amp;co');
    expect(said).not.toContain('<b>atus');
  });

  it('applies roles, and answers strangers only with their id', async () => {
    expect(await ask(viewer, '/stop')).toMatch(/needs the admin role; you are viewer/);
    expect(await ask(viewer, '/backtest sma-cross BTC/USDT 1h')).toMatch(/needs the trader role/);
    expect(await ask(stranger, '/status')).toContain(`telegram:${stranger}`);
    expect(await ask(stranger, '/whoami')).toContain(`telegram:${stranger}`);
    expect(h.services.calls.enqueue).toHaveLength(0);
  });

  it('confirms /stop with the inline keyboard: only the asker, only once', async () => {
    const before = h.telegram!.calls('sendMessage').length;
    h.telegram!.pushUpdate(textUpdate(admin, '/stop'));
    await h.telegram!.waitFor((r) => r.filter((x) => x.path.endsWith('/sendMessage')).length > before);
    const prompt = h.telegram!.calls('sendMessage').at(-1)!;
    const keyboard = (prompt.body.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual(['Confirm', 'Cancel']);
    const confirm = keyboard[0].callback_data;
    expect(confirm).toMatch(/^\/confirm [A-Z2-9]{6}$/);
    const promptId = h.telegram!.messages.size; // the prompt is the newest message

    // Someone else presses Confirm: refused, nothing halts, the keyboard stays.
    h.telegram!.pushUpdate(callbackUpdate(trader, confirm, promptId, { chatId: admin }));
    await h.telegram!.waitFor((r) => texts(r, admin).some((t) => t.includes('asked for by someone else')));
    expect(h.services.data.tradingState.state).toBe('ACTIVE');

    h.telegram!.pushUpdate(callbackUpdate(admin, confirm, promptId));
    await h.telegram!.waitFor((r) => texts(r, admin).some((t) => t.includes('Stopped')));
    expect(h.services.data.tradingState.state).toBe('HALTED');
    expect(h.telegram!.calls('answerCallbackQuery').length).toBeGreaterThanOrEqual(2);
    await h.telegram!.waitFor((r) => r.some((x) => x.path.endsWith('/editMessageReplyMarkup') && x.body.message_id === promptId));

    // A second press of the same button is refused.
    h.telegram!.pushUpdate(callbackUpdate(admin, confirm, promptId));
    await h.telegram!.waitFor((r) => texts(r, admin).some((t) => t.includes('already used')));
    expect(h.services.calls.setTradingState.filter((c) => c.state === 'HALTED')).toHaveLength(1);
    await ask(admin, '/resume');
  });

  it('runs /backtest: queued at once, progress edits the message, result with the chart as a photo', async () => {
    const queued = await ask(trader, '/backtest sma-cross BTC/USDT 1h 2024-01-01');
    expect(queued).toMatch(/Backtest #2 queued/);
    const queuedId = h.telegram!.messages.size; // the newest message is the "queued" answer
    const run = h.services.data.runs.find((r) => r.id === 2)!;
    const requestedBy = h.services.calls.enqueue[0].requestedBy;
    expect(requestedBy).toEqual({ platform: 'telegram', userId: String(trader), chatId: String(trader) });

    h.services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.5, requestedBy });
    await h.telegram!.waitFor((r) => r.some((x) => x.path.endsWith('/editMessageText') && /running 50%/.test(String(x.body.text)) && x.body.message_id === queuedId));

    const chartPath = writeTestChart();
    h.services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy, summary: 'Return 12 %', chartPath, metrics: { returnPct: 12.5, sharpe: 1.1, trades: 7 } });
    await h.telegram!.waitFor((r) => r.some((x) => x.path.endsWith('/sendPhoto')));
    const result = h.telegram!.calls('editMessageText').at(-1)!;
    expect(result.body.message_id).toBe(queuedId);
    expect(String(result.body.text)).toMatch(/Backtest #2[\s\S]*done[\s\S]*<pre>[\s\S]*Return\s+\+12\.50%/);
    const photo = h.telegram!.calls('sendPhoto')[0];
    expect(photo.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(photo.body.chat_id).toBe(String(trader));
    expect(photo.files.photo.data.subarray(0, 8)).toEqual(PNG_MAGIC);
  });
});

describe('Telegram webhook mode', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ telegram: 'webhook' });
  });
  afterAll(() => h?.close());

  it('sets the webhook with the secret at start and does not poll', () => {
    const set = h.telegram!.calls('setWebhook');
    expect(set).toHaveLength(1);
    expect(set[0].body).toMatchObject({ url: `${h.http.url}/webhooks/telegram`, secret_token: h.config.TELEGRAM_WEBHOOK_SECRET });
    expect(h.telegram!.calls('getUpdates')).toHaveLength(0);
  });

  it('refuses 1,000 requests with a missing or wrong secret: nothing is processed or sent', async () => {
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const n = batch * 100 + i;
          const secret = n % 4 === 0 ? null : n % 4 === 1 ? '' : n % 4 === 2 ? `${h.config.TELEGRAM_WEBHOOK_SECRET}x` : `wrong-${n}`;
          return h.postTelegram(textUpdate(admin, '/stop', { updateId: 100_000 + n }), secret);
        }),
      );
      statuses.push(...results.map((r) => r.status));
    }
    // Every one is an authentication failure (401, counted towards a ban; bans are off in this harness).
    expect(statuses.filter((s) => s === 401)).toHaveLength(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.handled).toHaveLength(0);
    expect(h.telegram!.calls('sendMessage')).toHaveLength(0);
  });

  it('answers 200 at once, runs the command afterwards, and runs a redelivered update once', async () => {
    const update = textUpdate(admin, '/whoami', { updateId: 424242 });
    const first = await h.postTelegram(update);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    await h.telegram!.waitFor((r) => texts(r, admin).some((t) => t.includes(`telegram:${admin}`)));
    for (let i = 0; i < 3; i++) expect((await h.postTelegram(update)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(texts(h.telegram!.server.requests, admin).filter((t) => t.includes(`telegram:${admin}`))).toHaveLength(1);
    expect(h.handled.filter((i) => i.deliveryId === '424242')).toHaveLength(1);
  });

  it('a button press through the webhook answers the callback and runs the command', async () => {
    const res = await h.postTelegram(callbackUpdate(admin, '/whoami', 1, { updateId: 525252 }));
    expect(res.status).toBe(200);
    await eventually(() => h.telegram!.calls('answerCallbackQuery').length === 1);
    await h.telegram!.waitFor((r) => texts(r, admin).filter((t) => t.includes(`telegram:${admin}`)).length === 2);
  });
});

describe('Telegram alert sender', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ telegram: 'webhook' });
  });
  afterAll(() => h?.close());
  const alert = (silent: boolean) => ({ type: 'fill', severity: 'info' as const, body: { title: 'Fill', text: ['BTC/USDT buy 0.01 @ 42000'] }, silent, createdAt: Date.now() });

  it('sends silent alerts without notification', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'telegram')!;
    await sender.send(String(admin), alert(true));
    const sent = h.telegram!.calls('sendMessage').at(-1)!;
    expect(sent.body).toMatchObject({ chat_id: String(admin), parse_mode: 'HTML', disable_notification: true });
    expect(String(sent.body.text)).toContain('<b>Fill</b>');
  });

  it('turns a 429 into RetryLaterError at now + retry_after, and a lost chat into PermanentDeliveryError', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'telegram')!;
    h.telegram!.failNext('sendMessage', telegramError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }));
    const t0 = Date.now();
    const err = await sender.send(String(admin), alert(false)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    const retryAt = (err as RetryLaterError).retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(t0 + 3000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 3000);

    h.telegram!.unknownChats.add('-100777');
    await expect(sender.send('-100777', alert(false))).rejects.toBeInstanceOf(PermanentDeliveryError);
    h.telegram!.failNext('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));
    await expect(sender.send(String(admin), alert(false))).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});
