import type { Database } from '../adapters/db/client.ts';
import { CandleStore } from '../adapters/db/repositories/candles.ts';
import type { Config } from '../config.ts';
import type { DomainEvent } from '../domain/events.ts';
import type { Logger } from '../logger.ts';
import { withLiveFeeds } from '../market-data/feed-market-data.ts';
import { createLiveFeed, type LiveFeed } from '../market-data/live-feed.ts';
import type { MarketData } from '../ports/market-data.ts';

export interface LiveFeeds {
  marketData: MarketData;
  start(): void;
  stop(): Promise<void>;
}

/**
 * On a real exchange: one live feed per traded symbol (ccxt websockets where the venue has them,
 * timed REST polling otherwise) that stores every closed candle and hands it to the engine at once.
 * The engine still detects stale data itself; the feeds report repeated connection failures.
 */
export async function buildLiveFeeds(d: { config: Config; marketData: MarketData; database: Database; publish: (e: DomainEvent) => void; now: () => number; logger: Logger }): Promise<LiveFeeds> {
  const { config } = d;
  const { createCcxtCandleWatcher } = await import('../adapters/exchange/ccxt-watch.ts');
  const store = new CandleStore(d.database);
  const feeds = new Map<string, LiveFeed>();
  const bus = { publish: (e: DomainEvent) => (e.type === 'stale-data' ? undefined : d.publish(e)) };
  const log = d.logger.child({ component: 'live-feed' });
  // One websocket client serves every symbol; each feed stops its own loop, the client closes once.
  const shared = await createCcxtCandleWatcher({ exchangeId: config.EXCHANGE, marketType: config.EXCHANGE_MARKET, sandbox: config.EXCHANGE_SANDBOX, baseUrl: config.EXCHANGE_URL });
  const watcher = shared ? { watchCandles: shared.watchCandles.bind(shared), close: async () => {} } : undefined;
  for (const symbol of config.SYMBOLS) {
    feeds.set(symbol, createLiveFeed({ exchange: config.EXCHANGE, symbol, timeframe: config.TIMEFRAME, marketData: d.marketData, watcher, store, bus, now: d.now, logger: log }));
  }
  log.info({ mode: watcher ? 'websocket' : 'polling', symbols: config.SYMBOLS }, 'live feeds ready');
  return {
    marketData: withLiveFeeds(d.marketData, feeds, config.TIMEFRAME),
    start: () => feeds.forEach((f) => f.start()),
    stop: async () => {
      await Promise.all([...feeds.values()].map((f) => f.stop()));
      await shared?.close();
    },
  };
}
