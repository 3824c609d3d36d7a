import { describe, expect, it } from 'vitest';
import { candlesFromRows, emptyCandles, type Candles } from '../../../src/domain/candles.ts';
import { withLiveFeeds } from '../../../src/market-data/feed-market-data.ts';
import type { LiveFeed } from '../../../src/market-data/live-feed.ts';
import type { MarketData } from '../../../src/ports/market-data.ts';

const M = 60_000;
const rows = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ ts: (from + k) * M, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }));

function fakeFeed(): LiveFeed & { emit(c: Candles): void } {
  const handlers: Array<(c: Candles) => void> = [];
  return {
    mode: 'polling',
    start() {},
    async stop() {},
    onCandles(h) {
      handlers.push(h);
      return () => {};
    },
    lastClosedTs: () => undefined,
    dataAgeMs: () => 0,
    staleness: () => 0,
    isStale: () => false,
    failures: () => 0,
    emit: (c) => handlers.forEach((h) => h(c)),
  };
}

describe('withLiveFeeds', () => {
  it('serves fresh candles from the feed and everything else from REST', async () => {
    const restCalls: Array<[string, string, number | undefined]> = [];
    const inner: MarketData = {
      exchangeId: 'x',
      loadMarkets: async () => new Map(),
      fetchPrice: async () => 1,
      async fetchCandles(symbol, tf, since) {
        restCalls.push([symbol, tf, since]);
        return emptyCandles();
      },
    };
    const feed = fakeFeed();
    const md = withLiveFeeds(inner, new Map([['BTC/USDT', feed]]), '1m');

    await md.fetchCandles('BTC/USDT', '1m', 100 * M, 10); // nothing buffered yet → REST
    expect(restCalls).toHaveLength(1);

    feed.emit(candlesFromRows(rows(100, 3)));
    feed.emit(candlesFromRows(rows(103, 2)));
    const fresh = await md.fetchCandles('BTC/USDT', '1m', 102 * M, 10);
    expect(Array.from(fresh.ts)).toEqual([102, 103, 104].map((k) => k * M));
    expect(restCalls).toHaveLength(1);

    const limited = await md.fetchCandles('BTC/USDT', '1m', 100 * M, 2);
    expect(Array.from(limited.ts)).toEqual([100 * M, 101 * M]);

    await md.fetchCandles('BTC/USDT', '1m', 50 * M, 10); // older than the buffer → REST
    await md.fetchCandles('BTC/USDT', '1h', 102 * M, 10); // another timeframe → REST
    await md.fetchCandles('ETH/USDT', '1m', 102 * M, 10); // no feed → REST
    expect(restCalls.map((c) => c[0] + c[1])).toEqual(['BTC/USDT1m', 'BTC/USDT1m', 'BTC/USDT1h', 'ETH/USDT1m']);
  });
});
