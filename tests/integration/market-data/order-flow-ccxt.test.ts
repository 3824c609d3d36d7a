import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCcxtExchange, type CcxtExchange } from '../../../src/adapters/exchange/ccxt-exchange.ts';
import { appendCandles, candlesFromRows } from '../../../src/domain/candles.ts';
import { OrderFlowFeed } from '../../../src/market-data/order-flow-feed.ts';
import { start, type LocalExchange } from '../../support/local-exchange/index.ts';

describe('order-flow feed over the ccxt adapter (local Binance exchange)', () => {
  let local: LocalExchange;
  const adapters: CcxtExchange[] = [];
  beforeEach(async () => {
    local = await start();
  });
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.close();
    await local.close();
  });
  const adapter = async (marketType: 'spot' | 'swap') => {
    const a = await createCcxtExchange({ exchangeId: 'binance', marketType, sandbox: false, baseUrl: local.url, maxLeverage: 3, logger: pino({ level: 'silent' }), enableRateLimit: false, retry: { sleep: async () => {} } });
    adapters.push(a);
    return a;
  };

  it('samples open interest on a swap market and aligns it to the candles it fetched', async () => {
    const swap = await adapter('swap');
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT:USDT', timeframe: '1m', marketData: swap, now: () => local.state.now() });
    expect(feed.openInterestAvailable).toBe(true);
    expect(await feed.sample()).toBeCloseTo(10_659.509, 3);
    expect(local.count('GET /fapi/v1/openInterest')).toBe(1);
    const closed = await swap.fetchCandles('BTC/USDT:USDT', '1m', undefined, 5);
    // Every fetched candle closed before the sample was taken: none of them may see it.
    expect(Array.from(feed.series(closed).openInterest).every(Number.isNaN)).toBe(true);
    // The candle forming now closes after the sample: it sees it.
    const last = closed.ts[4]!;
    const withNext = appendCandles(closed, candlesFromRows([{ ts: last + 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 }]));
    const s = feed.series(withNext);
    expect(s.openInterest[5]).toBeCloseTo(10_659.509, 3);
    expect(Number.isNaN(s.openInterest[4]!)).toBe(true);
    expect(s.cvd.length).toBe(6);
  });

  it('has no open interest on spot', async () => {
    const spot = await adapter('spot');
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT', timeframe: '1m', marketData: spot });
    expect(feed.openInterestAvailable).toBe(false);
    expect(await feed.sample()).toBeUndefined();
    expect(local.count('GET /fapi/v1/openInterest')).toBe(0);
  });
});
