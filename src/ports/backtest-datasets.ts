import type { Candles } from '../domain/candles.ts';

/**
 * Candles shared between the process that queues backtest jobs and the workers that run them
 * (which may be on other machines): stored once, addressed by a content hash, so every worker of a
 * sweep tests on exactly the same candles.
 */
export interface BacktestDatasets {
  /** Store candles (idempotent: the same candles again only refresh their age); returns their id. */
  put(candles: Candles): Promise<string>;
  /** Delete the sets stored (or last put) before `before` (UTC ms); returns how many. */
  prune(before: number): Promise<number>;
  /** The candles of an id; undefined when none is stored under it. */
  get(id: string): Promise<Candles | undefined>;
}
