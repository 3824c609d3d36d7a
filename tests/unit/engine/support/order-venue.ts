import type { MarketInfo } from '../../../../src/domain/market.ts';
import type { OrderReport, OrderRequest, OrderStatus } from '../../../../src/domain/orders.ts';
import { ExecutionError, type Execution } from '../../../../src/ports/execution.ts';
import { AppError } from '../../../../src/domain/errors.ts';
import type { TradingState } from '../../../../src/domain/trading-state.ts';
import type { FillRecord, OrderRecord, TradingStore } from '../../../../src/ports/store.ts';

export const MARKET: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0.001, takerFee: 0.001 };

/**
 * A venue that knows the orders it received and can lose the answer to a request, before the order
 * reached it ('lose-before': it never sees the order) or after ('lose-after': the order exists but the
 * caller never hears so) — the two cases a timeout cannot tell apart. Market orders fill at `price`;
 * limit orders rest (`open`) until `fillResting` or a cancel.
 */
export class TestVenue implements Execution {
  readonly exchangeId = 'test';
  readonly received = new Map<string, OrderReport>();
  readonly placed: OrderRequest[] = [];
  readonly lookups: string[] = [];
  readonly cancels: string[] = [];
  next: 'fill' | 'lose-before' | 'lose-after' | 'reject' | 'crash' = 'fill';
  /** Keep `next` for every request instead of only the next one. */
  sticky = false;
  /** The error every create throws for `next: 'lose-before'`. */
  loseError = new ExecutionError('unknown-outcome', 'request timed out');
  lookupError: Error | undefined;
  /** Thrown by cancelOrder before the venue sees the cancel; `lose-after` cancels, then throws. */
  cancelError: Error | undefined;
  cancelLoseAfter = false;
  /** While set, placeOrder waits for it before the venue answers (a request in flight). */
  gate: Promise<void> | undefined;
  price = 100;

  market(symbol: string): MarketInfo | undefined {
    return symbol === MARKET.symbol ? MARKET : undefined;
  }

  async placeOrder(req: OrderRequest): Promise<OrderReport> {
    this.placed.push(req);
    const mode = this.next;
    if (!this.sticky) this.next = 'fill';
    if (this.gate) await this.gate;
    if (mode === 'lose-before') throw this.loseError;
    if (mode === 'reject') throw new ExecutionError('rejected', 'insufficient balance');
    if (mode === 'crash') throw new Error('socket hang up in the venue library');
    const report = req.type === 'limit' ? this.restingReport(req) : this.filledReport(req);
    this.received.set(req.clientOrderId, report);
    if (mode === 'lose-after') throw new ExecutionError('unknown-outcome', 'response lost');
    return report;
  }

  async fetchOrder(clientOrderId: string): Promise<OrderReport | undefined> {
    this.lookups.push(clientOrderId);
    if (this.lookupError) throw this.lookupError;
    return this.received.get(clientOrderId);
  }

  /** The venue received an order that was sent by a process that then crashed. */
  receive(req: OrderRequest): void {
    this.received.set(req.clientOrderId, this.filledReport(req));
  }

  /** A resting order fills completely on the venue (before any cancel of it arrives). */
  fillResting(clientOrderId: string): void {
    const o = this.received.get(clientOrderId)!;
    this.received.set(clientOrderId, { ...this.filledReport(o), exchangeOrderId: o.exchangeOrderId, price: o.price });
  }

  private restingReport(req: OrderRequest): OrderReport {
    return {
      clientOrderId: req.clientOrderId, exchangeOrderId: `x-${this.received.size + 1}`, symbol: req.symbol, side: req.side, type: req.type, status: 'open',
      amount: req.amount, filled: 0, price: req.price, fee: 0, fills: [], ts: 0,
    };
  }

  private filledReport(req: Pick<OrderRequest, 'clientOrderId' | 'symbol' | 'side' | 'type' | 'amount'>): OrderReport {
    const fee = req.amount * this.price * MARKET.takerFee;
    return {
      clientOrderId: req.clientOrderId, exchangeOrderId: `x-${this.received.size + 1}`, symbol: req.symbol, side: req.side, type: req.type, status: 'filled',
      amount: req.amount, filled: req.amount, avgPrice: this.price, fee, feeCurrency: 'USDT', ts: 0,
      fills: [{ tradeId: `t-${req.clientOrderId}`, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, price: this.price, amount: req.amount, fee, feeCurrency: 'USDT', ts: 0 }],
    };
  }

  async cancelOrder(clientOrderId: string): Promise<OrderReport> {
    this.cancels.push(clientOrderId);
    if (this.cancelError) throw this.cancelError;
    const o = this.received.get(clientOrderId);
    if (!o) throw new ExecutionError('rejected', 'Unknown order sent.');
    if (o.status !== 'open' && o.status !== 'partially_filled') throw new ExecutionError('rejected', `order is ${o.status}`);
    const canceled: OrderReport = { ...o, status: 'canceled' };
    this.received.set(clientOrderId, canceled);
    if (this.cancelLoseAfter) throw new ExecutionError('unknown-outcome', 'cancel response lost');
    return canceled;
  }
  fetchOpenOrders(): Promise<OrderReport[]> {
    throw new Error('not used by these tests');
  }
  fetchBalances(): Promise<never> {
    throw new Error('not used by these tests');
  }
  fetchMyTrades(): Promise<never> {
    throw new Error('not used by these tests');
  }
  withdraw(): Promise<never> {
    throw new ExecutionError('unsupported', 'the test venue does not withdraw');
  }
}

/**
 * The order half of TradingStore in memory (the drizzle implementation passes the same contract
 * on PGlite and PostgreSQL); every other method throws, so a test using it by accident fails loudly.
 */
export function memoryOrderStore(): TradingStore & { orders: Map<string, OrderRecord>; fills: FillRecord[]; saved: { tradingState?: TradingState } } {
  const saved: { tradingState?: TradingState } = {};
  const orders = new Map<string, OrderRecord>();
  const fills: FillRecord[] = [];
  const unused = () => {
    throw new Error('not used by these tests');
  };
  return {
    orders,
    saved,
    fills,
    async insertOrder(order) {
      if (orders.has(order.clientOrderId)) throw new Error(`duplicate clientOrderId ${order.clientOrderId}`);
      orders.set(order.clientOrderId, { ...order });
    },
    async updateOrder(id, patch) {
      const o = orders.get(id);
      if (!o) throw new Error(`no order ${id}`);
      // As drizzle's update: a key given as undefined is left unchanged.
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      orders.set(id, { ...o, ...defined });
    },
    async getOrder(id) {
      const o = orders.get(id);
      return o && { ...o };
    },
    async ordersByStatus(statuses: readonly OrderStatus[]) {
      return [...orders.values()].filter((o) => statuses.includes(o.status)).map((o) => ({ ...o }));
    },
    // The atomic update as the drizzle store does it: status check first, a known trade id refuses all.
    async applyOrderUpdate(u) {
      const o = orders.get(u.clientOrderId);
      if (!o) throw new AppError('NOT_FOUND', `no order ${u.clientOrderId}`);
      if (o.status !== u.expectedStatus) throw new AppError('CONFLICT', `order ${u.clientOrderId} is ${o.status}, expected ${u.expectedStatus}`);
      if (u.fills.some((f) => fills.some((x) => x.tradeId === f.tradeId))) throw new AppError('CONFLICT', 'fill already stored');
      fills.push(...u.fills);
      const defined = Object.fromEntries(Object.entries(u.patch).filter(([, v]) => v !== undefined));
      orders.set(u.clientOrderId, { ...o, ...defined });
    },
    async fillsOfOrder(id) {
      return fills.filter((f) => f.clientOrderId === id);
    },
    netFilledQuantities: unused,
    ordersSince: unused,
    saveCash: unused,
    recordFill: unused,
    recentFills: unused,
    fillsSince: unused,
    positions: unused,
    savePosition: unused,
    cash: unused,
    async loadTradingState() {
      return saved.tradingState && { ...saved.tradingState };
    },
    async saveTradingState(state) {
      saved.tradingState = { ...state };
    },
    loadStrategyState: unused,
    saveStrategyState: unused,
    insertDecision: unused,
    snapshotEquity: unused,
    equitySnapshots: unused,
  };
}
