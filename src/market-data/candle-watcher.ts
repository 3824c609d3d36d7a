import type { CandleRow } from '../domain/candles.ts';

/**
 * A streaming candle source (an exchange websocket). Each call resolves on the venue's next update
 * with the candles it changed or holds, ascending by open time; the newest one is usually still
 * forming. A rejected call means the connection failed; calling again reconnects.
 * Implemented over ccxt `watchOHLCV` by src/adapters/exchange/ccxt-watch.ts.
 */
export interface CandleWatcher {
  watchCandles(symbol: string, timeframe: string): Promise<readonly CandleRow[]>;
  close(): Promise<void>;
}

/** Timers the feeds use; tests pass fakes. */
export interface FeedTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: FeedTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Exponential backoff with jitter for reconnects. */
export interface BackoffPolicy {
  /** First delay (default 1 s). */
  initialMs: number;
  /** Cap (default 60 s). */
  maxMs: number;
  /** Growth per failure (default 2). */
  factor: number;
  /** Share of the delay taken off at random, 0–1 (default 0.5): spreads reconnects of many clients. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 };

/** Delay before retry number `failures` (1 = after the first failure), `random` in [0, 1). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failures - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}
