import { appendCandles, sliceCandles, tailCandles, type Candles } from '../domain/candles.ts';
import type { MarketData } from '../ports/market-data.ts';
import type { LiveFeed } from './live-feed.ts';

/** Newest closed candles kept per symbol; the engine's rolling window is far smaller. */
const BUFFER_CANDLES = 5_000;

/**
 * MarketData whose trading-timeframe candles come from live feeds (websocket or timed polling) as
 * soon as they close; anything the feeds have not buffered — history at start, another timeframe, a
 * feed that has not delivered yet — is asked of the wrapped REST MarketData.
 */
export function withLiveFeeds(inner: MarketData, feeds: ReadonlyMap<string, LiveFeed>, timeframe: string): MarketData {
  const buffers = new Map<string, Candles>();
  for (const [symbol, feed] of feeds) {
    feed.onCandles((fresh) => {
      const prev = buffers.get(symbol);
      buffers.set(symbol, prev ? tailCandles(appendCandles(prev, fresh), BUFFER_CANDLES) : tailCandles(fresh, BUFFER_CANDLES));
    });
  }
  return {
    exchangeId: inner.exchangeId,
    loadMarkets: () => inner.loadMarkets(),
    fetchPrice: (symbol) => inner.fetchPrice(symbol),
    fetchOpenInterest: inner.fetchOpenInterest ? (symbol) => inner.fetchOpenInterest!(symbol) : undefined,
    async fetchCandles(symbol, tf, since, limit) {
      const buf = buffers.get(symbol);
      if (tf !== timeframe || !buf || buf.length === 0 || since === undefined || since < buf.ts[0]!) {
        return inner.fetchCandles(symbol, tf, since, limit);
      }
      let from = 0;
      while (from < buf.length && buf.ts[from]! < since) from++;
      return sliceCandles(buf, from, Math.min(buf.length, from + limit));
    },
    close: inner.close ? () => inner.close!() : undefined,
  };
}
