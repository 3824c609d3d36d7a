import type { Database } from '../adapters/db/client.ts';
import { CandleStore } from '../adapters/db/repositories/candles.ts';
import type { Candles } from '../domain/candles.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import { fetchMissingCandles } from '../market-data/fetch-candles.ts';
import type { MarketData } from '../ports/market-data.ts';

export interface EnsureCandlesRequest {
  database: Pick<Database, 'db' | 'kind'>;
  marketData: Pick<MarketData, 'fetchCandles'>;
  exchange: string;
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
  /** Without `from`: this many candles back from now. */
  defaultCount: number;
  now: () => number;
  signal?: AbortSignal;
  /**
   * Where candles come from when neither the store nor the exchange has them: the simulated
   * exchange generates any timeframe from its seed (what `tradeops backtest` does), while its live
   * market only runs the configured one. Absent: nothing is generated.
   */
  generate?: (window: { from?: number; to?: number }) => Promise<Candles>;
}

/**
 * Candles for a chat backtest: whatever the store lacks in the window is fetched from the configured
 * exchange first (and kept), then the window is loaded from the store as columns. When that holds
 * fewer than two candles and `generate` is given (the simulated exchange), they are generated.
 */
export async function ensureCandles(r: EnsureCandlesRequest): Promise<Candles> {
  const store = new CandleStore(r.database);
  const tfMs = timeframeToMs(r.timeframe);
  const since = r.from ?? r.now() - r.defaultCount * tfMs;
  await fetchMissingCandles({
    marketData: r.marketData,
    store,
    exchange: r.exchange,
    symbol: r.symbol,
    timeframe: r.timeframe,
    since,
    until: r.to !== undefined ? r.to + tfMs : undefined,
    now: r.now,
    signal: r.signal,
  });
  const stored = await store.load(r.exchange, r.symbol, r.timeframe, since, r.to);
  if (stored.length >= 2 || !r.generate) return stored;
  return r.generate({ from: r.from, to: r.to });
}
