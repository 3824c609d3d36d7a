/**
 * /sweep through the console of the real `tradeops start` process, live mode against the local
 * Binance-compatible exchange (real ccxt client): preview, Confirm, the withdrawal on the venue
 * (POST /sapi/v1/capital/withdraw/apply with the network), the alert, and the daily cap refusing a second one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start as startLocalExchange, type LocalExchange, type LocalMarketSpec } from '../support/local-exchange/index.ts';
import { liveBotEnv } from '../support/live-bot-env.ts';
import { spawnBot, type BotProcess } from '../support/spawn-bot.ts';

const ADDRESS = 'TXYZtreasury0000000000000000000001';
const specs: LocalMarketSpec[] = [{ id: 'SWPUSDT', kind: 'spot', base: 'SWP', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 1_000_000, minNotional: 5, initialPrice: 10 }];

describe('/sweep on the console (live, local exchange)', () => {
  let bot: BotProcess | undefined;
  let venue: LocalExchange | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await venue?.close();
  });

  it('previews, asks to confirm, withdraws the balance above SWEEP_KEEP to the address on its network, and holds the daily cap', async () => {
    venue = await startLocalExchange({ markets: specs, historyCandles: 300, spotBalances: { USDT: 10_000 } });
    bot = spawnBot(['start'], liveBotEnv(venue.url, ['SWP/USDT'], {
      SWEEP_ENABLED: 'true',
      SWEEP_ADDRESS: ADDRESS,
      SWEEP_NETWORK: 'TRX',
      SWEEP_KEEP: '2500',
      SWEEP_MAX_PER_DAY: '6000',
    }));
    await bot.waitFor(/tradeops ready: (.*)\n/, 60_000);

    let mark = bot.stdout().length;
    bot.send('/sweep');
    const code = await bot.waitFor(/\/confirm ([A-Za-z0-9-]+)/, 20_000, mark);
    expect(bot.stdout().slice(mark)).toMatch(/withdraws from the exchange for real[\s\S]*Move 6,000\.00 USDT to TXYZtreasury0000000000000000000001 on TRX/);
    expect(venue.count('POST /sapi/v1/capital/withdraw/apply')).toBe(0);
    mark = bot.stdout().length;
    bot.send(`/confirm ${code[1]}`);
    await bot.waitFor(/Swept 6,000\.00 USDT/, 20_000, mark);
    expect(venue.state.withdrawals.done).toMatchObject([{ coin: 'USDT', amount: 6000, address: ADDRESS, network: 'TRX' }]);
    expect(venue.state.spot.balance('USDT').free).toBe(4000);

    // 6,000 today is the cap: a second /sweep is refused before anything is asked or sent.
    mark = bot.stdout().length;
    bot.send('/sweep');
    await bot.waitFor(/Nothing to sweep: .*SWEEP_MAX_PER_DAY 6000/, 20_000, mark);
    expect(venue.count('POST /sapi/v1/capital/withdraw/apply')).toBe(1);
    expect((await bot.stop('SIGTERM')).code).toBe(0);
  }, 120_000);
});
