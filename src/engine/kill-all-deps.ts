import type { Portfolio } from '../domain/portfolio.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import type { TradingStore } from '../ports/store.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';
import type { EventBus } from './bus.ts';
import type { OrderManager } from './order-manager.ts';

/**
 * What kill-all works with (src/engine/kill-all.ts), and its timing settings. How long a request
 * that got no answer may still arrive at the venue is the order path's rule
 * (`OrderManager.inFlightUntil`, `requestWindowMs`), used for closes and external sells alike.
 */
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
  sleep?: (ms: number) => Promise<void>;
}
