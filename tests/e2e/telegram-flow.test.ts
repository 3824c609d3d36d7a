import { afterEach, describe, expect, it } from 'vitest';
import { callbackUpdate, TelegramStandIn, textUpdate } from '../support/standins/telegram.ts';
import type { RecordedRequest } from '../support/standins/recorder.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';

const ADMIN = 111;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const toChat = (r: RecordedRequest) => String(r.body.chat_id) === String(ADMIN);
const textOf = (r: RecordedRequest) => String(r.body.text ?? r.body.caption ?? '');

describe('the real process, operated from Telegram (telegraf against a local Bot API stand-in)', () => {
  let bot: BotProcess | undefined;
  let tg: TelegramStandIn | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await tg?.close();
  });

  it('/status, /backtest with its chart image, /stop confirmed with the button, then a clean stop', async () => {
    tg = await new TelegramStandIn().start();
    bot = spawnBot(['start'], {
      DATA_DIR: tempDataDir(),
      HTTP_PORT: '0',
      CONSOLE: 'false',
      LOG_FORMAT: 'json',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      CHAT_USERS: `telegram:${ADMIN}=admin`,
      TELEGRAM_ALERT_CHAT_IDS: String(ADMIN),
    });
    await bot.waitFor(/tradeops ready: .*chat=[^\n]*telegram/, 20_000);
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/setMyCommands')), 10_000);

    tg.pushUpdate(textUpdate(ADMIN, '/status'));
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendMessage') && toChat(r) && /paper/.test(textOf(r)) && /ACTIVE/.test(textOf(r))), 15_000);

    tg.pushUpdate(textUpdate(ADMIN, '/backtest sma-cross BTC/USDT 1m'));
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendPhoto') && toChat(r)), 90_000);
    const photo = tg.calls('sendPhoto').find(toChat)!;
    const file = photo.files.photo!;
    expect(file.data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.data.length).toBeGreaterThan(5_000);
    const conversation = [...tg.calls('sendMessage'), ...tg.calls('editMessageText')].filter(toChat).map(textOf).join('\n');
    expect(conversation).toMatch(/queued|#\d+/i);
    expect(conversation + textOf(photo)).toMatch(/return/i);

    tg.pushUpdate(textUpdate(ADMIN, '/stop'));
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendMessage') && toChat(r) && Boolean((r.body.reply_markup as { inline_keyboard?: unknown })?.inline_keyboard)), 15_000);
    const prompt = tg.calls('sendMessage').filter(toChat).reverse().find((r) => (r.body.reply_markup as { inline_keyboard?: unknown })?.inline_keyboard)!;
    const buttons = (prompt.body.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    const confirm = buttons.find((b) => /confirm/i.test(b.text))!;
    expect(confirm).toBeDefined();
    const promptId = tg.messages.size; // the stand-in numbers messages from 1; the prompt is the newest
    tg.pushUpdate(callbackUpdate(ADMIN, confirm.callback_data, promptId));
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/answerCallbackQuery')), 15_000);

    tg.pushUpdate(textUpdate(ADMIN, '/status'));
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendMessage') && toChat(r) && /HALTED/.test(textOf(r))), 15_000);

    const stopped = await bot.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  });

  it.skipIf(!pgServerUrl())('PostgreSQL: a /backtest is queued, run by a separate tradeops worker, and its progress and result reach the chat', async () => {
    const db = await createTempDatabase();
    let worker: BotProcess | undefined;
    try {
      tg = await new TelegramStandIn().start();
      // The bot runs no jobs itself (JOB_WORKERS=0): only the worker process can run the backtest.
      bot = spawnBot(['start'], {
        DATA_DIR: tempDataDir(),
        DATABASE_URL: db.url,
        JOB_WORKERS: '0',
        HTTP_PORT: '0',
        CONSOLE: 'false',
        LOG_FORMAT: 'json',
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.url,
        CHAT_USERS: `telegram:${ADMIN}=admin`,
      });
      await bot.waitFor(/tradeops ready: .*chat=[^\n]*telegram/, 30_000);
      worker = spawnBot(['worker'], { DATA_DIR: tempDataDir(), DATABASE_URL: db.url, LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
      await worker.waitFor(/tradeops worker ready/, 30_000);
      await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/setMyCommands')), 10_000);

      tg.pushUpdate(textUpdate(ADMIN, '/backtest sma-cross BTC/USDT 1m'));
      await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendPhoto') && toChat(r)), 90_000);
      const photo = tg.calls('sendPhoto').find(toChat)!;
      expect(photo.files.photo!.data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const conversation = [...tg.calls('sendMessage'), ...tg.calls('editMessageText')].filter(toChat).map(textOf).join('\n');
      expect(conversation).toMatch(/Backtest #1 queued/);
      expect(conversation + textOf(photo)).toMatch(/return/i);
      // The worker ran it (the bot has no job threads).
      expect(worker.stderr()).toMatch(/"kind":"backtest-run"[^\n]*backtest job done/);
      expect(bot.stderr()).not.toMatch(/backtest job started/);
      expect((await worker.stop('SIGTERM')).code).toBe(0);
      expect((await bot.stop('SIGTERM')).code).toBe(0);
    } finally {
      await worker?.stop('SIGKILL');
      await bot?.stop('SIGKILL');
      await db.drop();
    }
  }, 180_000);
});
