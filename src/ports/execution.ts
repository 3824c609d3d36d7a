import type { MarketInfo } from '../domain/market.ts';
import type { Fill, OrderReport, OrderRequest } from '../domain/orders.ts';

/** A derivatives position as the venue holds it (one-way mode): quantity in the order unit, + long, − short. */
export interface VenuePosition {
  symbol: string;
  quantity: number;
  entryPrice?: number;
}

export interface Balance {
  free: number;
  used: number;
  total: number;
}

/**
 * Where orders go: the simulated exchange (paper, backtest) or ccxt (live).
 * Every implementation passes tests/contract/execution.contract.ts.
 *
 * Errors are typed, never the venue library's own classes:
 * - `ExecutionError` with kind `rejected` — the venue refused (funds, invalid order, bad symbol);
 * - kind `unknown-outcome` — the request may have reached the venue (timeout, lost response): look the
 *   order up with `fetchOrder(clientOrderId)` before any resend;
 * - kind `retryable` — a read failed for a transient reason after bounded retries;
 * - kind `auth` / `banned` — trading must halt (see src/adapters/exchange/error-mapping.ts).
 */
export interface Execution {
  readonly exchangeId: string;
  market(symbol: string): MarketInfo | undefined;
  placeOrder(req: OrderRequest): Promise<OrderReport>;
  cancelOrder(clientOrderId: string, symbol: string): Promise<OrderReport>;
  /** The order as the venue knows it, or undefined when the venue has never seen that clientOrderId. */
  fetchOrder(clientOrderId: string, symbol: string): Promise<OrderReport | undefined>;
  fetchOpenOrders(symbol?: string): Promise<OrderReport[]>;
  fetchBalances(): Promise<Record<string, Balance>>;
  fetchMyTrades(symbol: string, since?: number): Promise<Fill[]>;
  /**
   * Withdraw `amount` of `currency` to an address (the treasury sweep). Never retried here: a lost
   * answer is reported as `unknown-outcome` and must be checked on the venue before any resend.
   * A refusal (funds, address not allow-listed on the venue, network) is `rejected`.
   */
  withdraw(req: WithdrawalRequest): Promise<WithdrawalReport>;
  /** Swap venues: the open positions of `symbols` (flat symbols may be absent). Absent on spot-only implementations. */
  fetchPositions?(symbols: readonly string[]): Promise<VenuePosition[]>;
}

export interface WithdrawalRequest {
  currency: string;
  amount: number;
  address: string;
  /** Memo / tag where the network needs one. */
  tag?: string;
  /** Network code (TRX, ETH, BSC …) as the venue names it. */
  network?: string;
}

export interface WithdrawalReport {
  /** The venue's withdrawal id. */
  id: string;
  currency: string;
  amount: number;
  address: string;
  network?: string;
  /** On-chain transaction id, once the venue has one. */
  txId?: string;
  status: 'pending' | 'ok' | 'failed';
  /** Fee charged by the venue, in `currency`, where reported. */
  fee?: number;
}

export type ExecutionErrorKind = 'rejected' | 'unknown-outcome' | 'retryable' | 'auth' | 'banned' | 'unsupported';

export class ExecutionError extends Error {
  readonly kind: ExecutionErrorKind;
  /** For `banned`/rate limits: when trading may resume (UTC ms). */
  readonly retryAt?: number;
  /**
   * The venue answered this very request with a refusal that means it was not executed (a 429 rate
   * limit): nothing of it can still arrive, so a lookup that finds nothing needs no request window.
   */
  readonly refusedOnArrival?: boolean;
  constructor(kind: ExecutionErrorKind, message: string, options?: { retryAt?: number; cause?: unknown; refusedOnArrival?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = 'ExecutionError';
    this.kind = kind;
    this.retryAt = options?.retryAt;
    if (options?.refusedOnArrival) this.refusedOnArrival = true;
  }
}
