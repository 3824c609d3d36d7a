/**
 * The job queue opens after the ready line (src/app/late-job-queue.ts): the line no longer waits
 * for pg-boss. What that must not cost: a backtest asked for before the queue is open — here sent
 * before the bot even started, so the bot reads it from Telegram while it starts — is still queued,
 * run and answered, and the queue is opened and worked by this process after the line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramStandIn, textUpdate } from '../support/standins/telegram.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

const ADMIN = 222;

/** The messages of the JSON log lines, in order. */
function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { msg?: string }).msg ?? ''));
}

describe('tradeops start: the job queue after the ready line', () => {
  let bot: BotProcess | undefined;
  let tg: TelegramStandIn | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await tg?.close();
  });

  it('a /backtest sent before the queue is open is queued, run and answered; the queue opens after ready', async () => {
    tg = await new TelegramStandIn().start();
    tg.pushUpdate(textUpdate(ADMIN, '/backtest sma-cross BTC/USDT 1m'));
    bot = spawnBot(['start'], {
      DATA_DIR: tempDataDir(),
      HTTP_PORT: '0',
      CONSOLE: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      CHAT_USERS: `telegram:${ADMIN}=admin`,
      TELEGRAM_ALERT_CHAT_IDS: String(ADMIN),
    });
    await bot.waitFor(/tradeops ready: .*chat=[^\n]*telegram/, 20_000);
    const toAdmin = (r: { body: Record<string, unknown> }) => String(r.body.chat_id) === String(ADMIN);
    await tg.waitFor((rs) => rs.some((r) => r.path.endsWith('/sendPhoto') && toAdmin(r)), 90_000);
    const answered = [...tg.calls('sendMessage'), ...tg.calls('editMessageText'), ...tg.calls('sendPhoto')].filter(toAdmin).map((r) => String(r.body.text ?? r.body.caption ?? ''));
    expect(answered.join('\n')).toMatch(/return/i);

    // Logged in this order by one logger: the ready line's log entry, then the queue being worked.
    const msgs = logMessages(bot.stderr());
    const ready = msgs.indexOf('ready');
    const working = msgs.indexOf('backtest jobs: this process works the queue');
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(working).toBeGreaterThan(ready);
    expect(msgs.filter((m) => /job queue did not open|backtest runner did not start/.test(m))).toEqual([]);

    const stopped = await bot.stop('SIGTERM');
    expect(stopped.code).toBe(0);
  }, 120_000);
});
