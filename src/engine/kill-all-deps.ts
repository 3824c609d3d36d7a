import type { Portfolio } from '../domain/portfolio.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import type { TradingStore } from '../ports/store.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';
import type { EventBus } from './bus.ts';
import type { OrderManager } from './order-manager.ts';

/** What kill-all works with (src/engine/kill-all.ts), and its timing settings. */
/** See {@link KillAllDeps.inFlightMs}. */
export const IN_FLIGHT_MS = 11_000;

export interface KillAllDeps {
  execution: Execution;
  store: TradingStore;
  riskStore: RiskStore;
  orders: OrderManager;
  portfolio: Portfolio;
  tradingState: TradingStateHolder;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** Last known prices (the pre-flight data check of each close). */
  marks: () => ReadonlyMap<string, number>;
  /** Symbols tradeops trades (include-external looks for foreign orders and holdings there). */
  symbols: readonly string[];
  /** Sends of one close before the symbol is reported failed (default 6). */
  maxAttempts?: number;
  /** Longest single wait for a Retry-After (default 30 s). */
  maxWaitMs?: number;
  /**
   * How long after its sending a request the venue never answered may still be executed there
   * (default 11 s: Binance refuses a signed request older than its 10 s receive window, which ccxt
   * sends). A close sent before a crash that the venue does not show yet is taken for "never arrived"
   * only after that: a lookup sooner could be answered "unknown" while the request still waits in the
   * venue's queue, and the close sent again would sell twice (coins the bot does not own, on spot).
   */
  inFlightMs?: number;
  sleep?: (ms: number) => Promise<void>;
}
