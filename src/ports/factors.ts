import type { ExternalFactors } from './external-factors.ts';

/** One observation of an external factor (funding rate, exchange netflow, SOPR, fear & greed, …). */
export interface FactorReading {
  /** Exchange symbol (BTC/USDT), or `*` for a market-wide factor. */
  symbol: string;
  /** Lowercase name: funding_rate, netflow, sopr, fear_greed, … */
  name: string;
  value: number;
  /** When the value was observed (epoch ms, sender's time). */
  ts: number;
}

export interface FactorView extends FactorReading {
  ageSeconds: number;
  stale: boolean;
}

/**
 * What strategies (through StrategyContext.factors) and the panic score read. Values older than
 * FACTOR_MAX_AGE are stale: left out of `fresh`, with one warning per factor until it is fresh again.
 */
export interface FactorFeed extends ExternalFactors {
  /** Fresh values for a symbol by name; market-wide (`*`) factors are included unless the symbol has its own. */
  fresh(symbol: string): Readonly<Record<string, number>>;
  /** Latest value of every factor with its age (status, metrics). */
  all(): FactorView[];
}

/** Where factors are kept; the webhook writes through it. */
export interface FactorStore extends FactorFeed {
  /** Store readings; returns how many were newer than what was known. */
  record(readings: readonly FactorReading[], source: string): Promise<number>;
}
