import type { Candles } from '../domain/candles.ts';
import type { MarketInfo } from '../domain/market.ts';

/**
 * Where prices come from: ccxt for real venues, the simulated exchange for paper/demo/backtest.
 * Every implementation passes tests/contract/market-data.contract.ts.
 */
export interface MarketData {
  /** Exchange id as configured (`sim`, `binance`, …). */
  readonly exchangeId: string;
  /** Markets the venue lists, loaded once (only the configured market type). */
  loadMarkets(): Promise<ReadonlyMap<string, MarketInfo>>;
  /**
   * Closed candles with open time >= `since` (UTC ms), ascending, at most `limit` rows.
   * A candle that is still forming is never returned.
   */
  fetchCandles(symbol: string, timeframe: string, since: number | undefined, limit: number): Promise<Candles>;
  /** Last traded price. */
  fetchPrice(symbol: string): Promise<number>;
  /** Open interest in contracts/base units, where the venue offers it (swap markets); else undefined. */
  fetchOpenInterest?(symbol: string): Promise<number | undefined>;
  /** Free resources (websockets, timers). */
  close?(): Promise<void>;
}
