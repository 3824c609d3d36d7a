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
 * caller never hears so) — the two cases a timeout cannot tell apart. Market orders fill at `price`.
 */
export class TestVenue implements Execution {
  readonly exchangeId = 'test';
  readonly received = new Map<string, OrderReport>();
  readonly placed: OrderRequest[] = [];
  readonly lookups: string[] = [];
  next: 'fill' | 'lose-before' | 'lose-after' | 'reject' | 'crash' = 'fill';
  lookupError: Error | undefined;
  price = 100;

  market(symbol: string): MarketInfo | undefined {
    return symbol === MARKET.symbol ? MARKET : undefined;
  }

  async placeOrder(req: OrderRequest): Promise<OrderReport> {
    this.placed.push(req);
    const mode = this.next;
    this.next = 'fill';
    if (mode === 'lose-before') throw new ExecutionError('unknown-outcome', 'request timed out');
    if (mode === 'reject') throw new ExecutionError('rejected', 'insufficient balance');
    if (mode === 'crash') throw new Error('socket hang up in the venue library');
    const report = this.filledReport(req);
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

  private filledReport(req: OrderRequest): OrderReport {
    const fee = req.amount * this.price * MARKET.takerFee;
    return {
      clientOrderId: req.clientOrderId, exchangeOrderId: `x-${this.received.size + 1}`, symbol: req.symbol, side: req.side, type: req.type, status: 'filled',
      amount: req.amount, filled: req.amount, avgPrice: this.price, fee, feeCurrency: 'USDT', ts: 0,
      fills: [{ tradeId: `t-${req.clientOrderId}`, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, price: this.price, amount: req.amount, fee, feeCurrency: 'USDT', ts: 0 }],
    };
  }

  cancelOrder(): Promise<OrderReport> {
    throw new Error('not used by these tests');
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
