import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

const READY = /tradeops ready: (.*)\n/;
const METRICS_TOKEN = 'mt-7f3a9c2e-secret-token';

/**
 * The real process on the default setup (simulated exchange, PGlite, the console as the chat):
 * /reload_config applies a strategy, parameters and symbols edited in the .env file without a
 * restart; /show_config masks secrets; /logs shows scrubbed lines; /backtest runs on 1h although
 * the market runs 1m; a failing backtest answers one line and prints no stack trace.
 */
describe('chat-ops commands in a running bot', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
  });

  it('reloads the configuration, shows it masked, shows logs, and backtests on another timeframe', async () => {
    const dataDir = tempDataDir();
    const envFile = join(dataDir, 'bot.env');
    writeFileSync(envFile, `STRATEGY=sma-cross\nSTRATEGY_PARAMS={"fast":10,"slow":30}\nSYMBOLS=BTC/USDT\nMETRICS_TOKEN=${METRICS_TOKEN}\n`);
    bot = spawnBot(['start'], { DATA_DIR: dataDir, HTTP_PORT: '0', CONSOLE: 'true', LOG_FORMAT: 'json', ENV_FILE: envFile });
    await bot.waitFor(READY, 20_000);
    const ask = async (line: string, until: RegExp, timeoutMs = 20_000) => {
      const mark = bot!.stdout().length;
      bot!.send(line);
      await bot!.waitFor(until, timeoutMs, mark);
      return bot!.stdout().slice(mark);
    };

    const shown = await ask('/show_config', /METRICS_TOKEN/);
    expect(shown).toMatch(/METRICS_TOKEN\s+\(hidden\)/);
    expect(shown).toMatch(/STRATEGY\s+sma-cross/);
    expect(shown).not.toContain(METRICS_TOKEN);

    writeFileSync(envFile, `STRATEGY=rsi-bb\nSTRATEGY_PARAMS={"rsiPeriod":10}\nSYMBOLS=BTC/USDT,ETH/USDT\nMETRICS_TOKEN=${METRICS_TOKEN}\nLOG_LEVEL=debug\n`);
    const reloaded = await ask('/reload_config', /Configuration reloaded[\s\S]*restart/);
    expect(reloaded).toMatch(/STRATEGY: sma-cross → rsi-bb/);
    expect(reloaded).toMatch(/SYMBOLS: BTC\/USDT → BTC\/USDT,ETH\/USDT/);
    expect(reloaded).toMatch(/after a restart: LOG_LEVEL/);
    expect(await ask('/status', /Symbols|symbols|ETH\/USDT/)).toMatch(/rsi-bb/);
    expect(await ask('/strategies', /rsi-bb/)).toMatch(/rsi-bb[^\n]*rsiPeriod=10/);

    writeFileSync(envFile, `STRATEGY=nope\nMETRICS_TOKEN=${METRICS_TOKEN}\n`);
    const refused = await ask('/reload_config', /unknown strategy/);
    expect(refused).toMatch(/unknown strategy "nope"/);
    expect(await ask('/status', /rsi-bb|sma-cross|nope/)).toMatch(/rsi-bb/);

    const logs = await ask('/logs 20', /log line/);
    expect(logs).toMatch(/configuration reloaded/);
    expect(logs).not.toContain(METRICS_TOKEN);

    const bt = await ask('/backtest sma-cross BTC/USDT 1h', /Backtest #\d+ (done|failed)|Return/, 60_000);
    expect(bt).not.toMatch(/failed/);
    const bad = await ask('/backtest sma-cross BTC/USDT 1h 2099-01-01', /in the future/, 30_000);
    expect(bad).toMatch(/^FROM 2099-01-01 is in the future$/m);
    expect(bad).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(bot.stdout()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // The added symbol is traded like the others: no component trips over it.
    expect(bot.stdout()).not.toMatch(/Exchange error \(internal\)|Cannot read properties/);
    if (process.env.DUMP_E2E) writeFileSync(process.env.DUMP_E2E, bot.stdout());
  }, 180_000);
});
