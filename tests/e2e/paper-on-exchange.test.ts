import { afterEach, describe, expect, it } from 'vitest';
import { start as startLocalExchange, type LocalExchange } from '../support/local-exchange/index.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

describe('paper trading on a real exchange (ccxt against the local Binance-compatible exchange)', () => {
  let bot: BotProcess | undefined;
  let venue: LocalExchange | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await venue?.close();
  });

  it('starts with live prices and simulated fills, keeps the venue untouched by orders, and stops cleanly', async () => {
    venue = await startLocalExchange({ historyCandles: 600 });
    bot = spawnBot(['start'], {
      DATA_DIR: tempDataDir(),
      HTTP_PORT: '0',
      CONSOLE: 'true',
      LOG_FORMAT: 'json',
      EXCHANGE: 'binance',
      EXCHANGE_URL: venue.url,
      TIMEFRAME: '1m',
    });
    const ready = await bot.waitFor(/tradeops ready: (.*)\n/, 30_000);
    expect(ready[1]).toContain('mode=paper');
    expect(ready[1]).toContain('exchange=binance(spot)');

    let mark = bot.stdout().length;
    bot.send('/health');
    await bot.waitFor(/latency|ms/i, 15_000, mark);
    expect(bot.stdout().slice(mark)).toMatch(/binance/);

    mark = bot.stdout().length;
    bot.send('/status');
    await bot.waitFor(/database/i, 15_000, mark);
    expect(bot.stdout().slice(mark)).toMatch(/10,000\.00 USDT/);

    // Candles are read from the venue (the first engine tick); no order ever reaches it in paper mode.
    for (let i = 0; i < 100 && venue.count('GET /api/v3/klines') === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(venue.count('GET /api/v3/klines')).toBeGreaterThan(0);
    expect(venue.count('POST /api/v3/order')).toBe(0);

    const stopped = await bot.stop('SIGTERM');
    expect(stopped.code).toBe(0);
  });
});
