import type { Fill, OrderSide, OrderStatus, OrderType } from '../domain/orders.ts';
import type { Position } from '../domain/portfolio.ts';
import type { TradingState } from '../domain/trading-state.ts';

/** An order as tradeops stores it (write-ahead: inserted as `pending` before it is sent). */
export interface OrderRecord {
  clientOrderId: string;
  exchangeOrderId?: string;
  exchange: string;
  mode: 'paper' | 'live';
  symbol: string;
  side: OrderSide;
  type: OrderType;
  amount: number;
  price?: number;
  reduceOnly: boolean;
  status: OrderStatus;
  filled: number;
  avgPrice?: number;
  fee: number;
  feeCurrency?: string;
  strategy?: string;
  reason?: string;
  intent?: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface FillRecord extends Fill {
  exchange: string;
  realizedPnl: number;
}

/**
 * One change of one order, applied in a single transaction: the order's new status and totals, the
 * fills it brings (each new: a duplicate trade id aborts the whole change), and the position and cash
 * those fills leave behind. Either everything is written or nothing.
 */
export interface OrderUpdate {
  clientOrderId: string;
  /** The status the caller read; the change is refused (CONFLICT) when the row moved on meanwhile. */
  expectedStatus: OrderStatus;
  patch: Partial<Omit<OrderRecord, 'clientOrderId' | 'createdAt'>>;
  fills: readonly FillRecord[];
  /** Position of the order's symbol after the fills (undefined = flat); ignored without fills. */
  positionAfter?: Position;
  /** Cash after the fills; ignored without fills. */
  cashAfter?: number;
}

export interface DecisionRecord {
  ts: number;
  strategy: string;
  symbol: string;
  intent: unknown;
  verdict: 'approved' | 'denied';
  reasons: Array<{ code: string; message: string }>;
  clientOrderId?: string;
  /** strategy | manual | signal | kill-all (default strategy). */
  source?: string;
  /** sha256 of the inputs a denial was decided on: the same inputs always give the same verdict. */
  inputHash?: string;
}

export interface EquitySnapshot {
  ts: number;
  equity: number;
  cash: number;
  unrealizedPnl: number;
}

/**
 * Persistence the trading engine needs. Implemented over drizzle (PGlite or Postgres); every
 * implementation passes tests/contract/trading-store.contract.ts.
 */
export interface TradingStore {
  insertOrder(order: OrderRecord): Promise<void>;
  /** Several write-ahead rows in one statement (kill-all's closes); absent: one insertOrder each. */
  insertOrders?(orders: readonly OrderRecord[]): Promise<void>;
  updateOrder(clientOrderId: string, patch: Partial<Omit<OrderRecord, 'clientOrderId'>>): Promise<void>;
  getOrder(clientOrderId: string): Promise<OrderRecord | undefined>;
  ordersByStatus(statuses: readonly OrderStatus[]): Promise<OrderRecord[]>;
  /**
   * Store a fill, the position after it and the cash balance, atomically. Returns false (and
   * changes nothing) when the fill was already recorded (same exchange trade id).
   */
  recordFill(fill: FillRecord, positionAfter: Position | undefined, cash: number): Promise<boolean>;
  /**
   * Apply an OrderUpdate atomically (see there). Throws AppError CONFLICT, writing nothing, when the
   * order's status is no longer `expectedStatus` or a fill's trade id is already stored.
   */
  applyOrderUpdate(update: OrderUpdate): Promise<void>;
  /** The stored fills of one order, oldest first. */
  fillsOfOrder(clientOrderId: string): Promise<FillRecord[]>;
  /**
   * Per symbol, from every stored fill of an exchange account: net signed quantity (buys − sells) and
   * the fees paid in the symbol's base asset (a spot buy's fee is often taken from the coins bought).
   */
  netFilledQuantities(exchange: string): Promise<Map<string, { net: number; baseFees: number }>>;
  /** Orders of an exchange account created at or after `since` (oldest first). */
  ordersSince(exchange: string, since: number): Promise<OrderRecord[]>;
  recentFills(limit: number): Promise<FillRecord[]>;
  fillsSince(ts: number): Promise<FillRecord[]>;
  positions(exchange: string): Promise<Position[]>;
  savePosition(exchange: string, symbol: string, position: Position | undefined): Promise<void>;
  /** Store the account's cash (reconciliation adopting the venue's balance). */
  saveCash(exchange: string, cash: number): Promise<void>;
  /** Cash of the account as last recorded (undefined before the first fill). */
  cash(exchange: string): Promise<number | undefined>;
  loadTradingState(): Promise<TradingState | undefined>;
  saveTradingState(state: TradingState): Promise<void>;
  loadStrategyState(strategy: string, symbol: string): Promise<unknown>;
  saveStrategyState(strategy: string, symbol: string, state: unknown): Promise<void>;
  insertDecision(decision: DecisionRecord): Promise<void>;
  snapshotEquity(snapshot: EquitySnapshot): Promise<void>;
  equitySnapshots(since: number): Promise<EquitySnapshot[]>;
}
