import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { spawnBot, tempDataDir } from '../support/spawn-bot.ts';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';

/** A port nothing listens on: every call to it fails, and failures are what leak secrets into logs. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const SECRETS = {
  EXCHANGE_API_KEY: 'FAKEKEYabcdef0123456789XYZ',
  EXCHANGE_API_SECRET: 'FAKESECRETzyxw9876543210QRS',
  EXCHANGE_API_PASSWORD: 'FAKEPASSPHRASE4242',
  TELEGRAM_BOT_TOKEN: '123456789:AAFakeTelegramTokenForSecretScan_xyz01',
  TELEGRAM_WEBHOOK_SECRET: 'FakeWebhookSecret_0123456789',
  DISCORD_BOT_TOKEN: 'MTFakeDiscordBotToken.GhIjKl.MnOpQrStUvWxYz0123456789',
  LINE_CHANNEL_SECRET: 'fakelinechannelsecret0123456789ab',
  LINE_CHANNEL_ACCESS_TOKEN: 'FakeLineAccessToken+/0123456789abcdefXYZ=',
};

describe('secrets never reach the output', () => {
  it('a whole run with known fake secrets, failing platform calls and trace logging prints none of them', async () => {
    const port = await deadPort();
    const dead = `http://127.0.0.1:${port}`;
    const dbPassword = 'FakeDbPassword_0123456789';
    const env: Record<string, string> = {
      ...SECRETS,
      DATA_DIR: tempDataDir(),
      HTTP_PORT: '0',
      CONSOLE: 'true',
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
      TELEGRAM_API_ROOT: dead,
      TELEGRAM_ALERT_CHAT_IDS: '42',
      DISCORD_API_URL: dead,
      DISCORD_APP_ID: '1234567890',
      DISCORD_GATEWAY: 'false',
      DISCORD_ALERT_CHANNEL_ID: '555',
      LINE_API_URL: dead,
      LINE_ALERT_TO: 'Ufake',
    };
    const temp = pgServerUrl() ? await createTempDatabase() : undefined;
    if (temp) {
      const u = new URL(temp.url);
      u.password = dbPassword; // trust authentication ignores it; the logs must not show it
      env.DATABASE_URL = u.toString();
    }
    const bot = spawnBot(['start'], env);
    try {
      await bot.waitFor(/tradeops ready/, 20_000);
      for (const cmd of ['/status', '/health', '/whoami', '/balance', '/stop']) {
        const mark = bot.stdout().length;
        bot.send(cmd);
        await bot.waitFor(/\S/, 10_000, mark);
      }
      // Let alert deliveries fail against the dead port a few times.
      await new Promise((r) => setTimeout(r, 3_000));
      // The commands that show settings and log lines in a chat show no secret either.
      for (const [cmd, answer] of [['/show_config all', /TELEGRAM_BOT_TOKEN\s+\(hidden\)/], ['/logs 50 debug', /log lines? \(UTC\)/]] as const) {
        const mark = bot.stdout().length;
        bot.send(cmd);
        await bot.waitFor(answer, 10_000, mark);
      }
    } finally {
      const { code } = await bot.stop('SIGTERM');
      expect(code).toBe(0);
    }
    // What is stored must be as clean as what is printed: the outbox keeps platform errors.
    const { openDatabase } = await import('../../src/adapters/db/client.ts');
    const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
    const stored = JSON.stringify(await db.rows((await import('drizzle-orm')).sql`select last_error, payload from alert_outbox`));
    const audit = JSON.stringify(await db.rows((await import('drizzle-orm')).sql`select * from audit_log`));
    await db.close();
    await temp?.drop();
    expect(stored).toContain('ECONNREFUSED');
    const output = bot.stdout() + bot.stderr() + stored + audit;
    expect(output.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries({ ...SECRETS, DB_PASSWORD: dbPassword })) {
      expect(output.includes(value), `${name} leaked`).toBe(false);
    }
    expect(output).not.toMatch(/\/bot\d+:[A-Za-z0-9_-]{20,}/);
  });
});
