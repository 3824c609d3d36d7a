import type { Candles } from '../domain/candles.ts';

/**
 * Candles shared between the process that queues backtest jobs and the workers that run them
 * (which may be on other machines): stored once, addressed by a content hash, so every worker of a
 * sweep tests on exactly the same candles.
 */
export interface BacktestDatasets {
  /** Store candles (idempotent); returns their id. */
  put(candles: Candles): Promise<string>;
  /** The candles of an id; undefined when none is stored under it. */
  get(id: string): Promise<Candles | undefined>;
}
