import type { MarketInfo } from '../../../../src/domain/market.ts';
import type { Fill, OrderReport, OrderRequest, OrderStatus } from '../../../../src/domain/orders.ts';
import { ExecutionError, type Balance, type Execution } from '../../../../src/ports/execution.ts';
import { AppError } from '../../../../src/domain/errors.ts';
import type { Position } from '../../../../src/domain/portfolio.ts';
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
  /** Open orders someone else placed on this account (on the website, another bot). */
  readonly foreignOrders: OrderReport[] = [];
  /** The account's trades as the venue lists them (every `since` asked for is kept in `tradeQueries`). */
  readonly trades: Fill[] = [];
  readonly tradeQueries: Array<{ symbol: string; since: number | undefined }> = [];
  balances: Record<string, Balance> = {};

  async fetchOpenOrders(symbol?: string): Promise<OrderReport[]> {
    return [...this.received.values(), ...this.foreignOrders].filter((o) => (symbol === undefined || o.symbol === symbol) && (o.status === 'open' || o.status === 'partially_filled'));
  }
  async fetchBalances(): Promise<Record<string, Balance>> {
    return this.balances;
  }
  async fetchMyTrades(symbol: string, since?: number): Promise<Fill[]> {
    this.tradeQueries.push({ symbol, since });
    return this.trades.filter((t) => t.symbol === symbol);
  }
  withdraw(): Promise<never> {
    throw new ExecutionError('unsupported', 'the test venue does not withdraw');
  }
}

/**
 * The order half of TradingStore in memory — orders, fills, the positions and cash they move, as
 * the drizzle implementation keeps them on PGlite and PostgreSQL (tests/contract/trading-store.contract.ts);
 * every other method throws, so a test using it by accident fails loudly.
 */
export function memoryOrderStore(): TradingStore & { orders: Map<string, OrderRecord>; fills: FillRecord[]; saved: { tradingState?: TradingState } } {
  const saved: { tradingState?: TradingState } = {};
  const orders = new Map<string, OrderRecord>();
  const fills: FillRecord[] = [];
  const positions = new Map<string, Map<string, Position>>();
  const cash = new Map<string, number>();
  const savePosition = (exchange: string, symbol: string, p: Position | undefined) => {
    const mine = positions.get(exchange) ?? new Map<string, Position>();
    positions.set(exchange, mine);
    if (p) mine.set(symbol, { ...p });
    else mine.delete(symbol);
  };
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
    // Oldest first, as the drizzle store orders them.
    async ordersByStatus(statuses: readonly OrderStatus[]) {
      return [...orders.values()].filter((o) => statuses.includes(o.status)).sort((a, b) => a.createdAt - b.createdAt).map((o) => ({ ...o }));
    },
    async ordersSince(exchange, since) {
      return [...orders.values()].filter((o) => o.exchange === exchange && o.createdAt >= since).sort((a, b) => a.createdAt - b.createdAt).map((o) => ({ ...o }));
    },
    // The atomic update as the drizzle store does it: status check first, a known trade id refuses all.
    async applyOrderUpdate(u) {
      const o = orders.get(u.clientOrderId);
      if (!o) throw new AppError('NOT_FOUND', `no order ${u.clientOrderId}`);
      if (o.status !== u.expectedStatus) throw new AppError('CONFLICT', `order ${u.clientOrderId} is ${o.status}, expected ${u.expectedStatus}`);
      if (u.fills.some((f) => fills.some((x) => x.tradeId === f.tradeId))) throw new AppError('CONFLICT', 'fill already stored');
      fills.push(...u.fills.map((f) => ({ ...f })));
      const defined = Object.fromEntries(Object.entries(u.patch).filter(([, v]) => v !== undefined));
      orders.set(u.clientOrderId, { ...o, ...defined });
      if (u.fills.length > 0) {
        savePosition(o.exchange, o.symbol, u.positionAfter);
        if (u.cashAfter !== undefined) cash.set(o.exchange, u.cashAfter);
      }
    },
    async fillsOfOrder(id) {
      return fills.filter((f) => f.clientOrderId === id);
    },
    // Buys − sells per symbol, and the fees paid in the symbol's base coin.
    async netFilledQuantities(exchange) {
      const out = new Map<string, { net: number; baseFees: number }>();
      for (const f of fills.filter((x) => x.exchange === exchange)) {
        const n = out.get(f.symbol) ?? { net: 0, baseFees: 0 };
        n.net += f.side === 'buy' ? f.amount : -f.amount;
        if (f.feeCurrency === f.symbol.split('/')[0]) n.baseFees += f.fee;
        out.set(f.symbol, n);
      }
      return out;
    },
    async saveCash(exchange, amount) {
      cash.set(exchange, amount);
    },
    async cash(exchange) {
      return cash.get(exchange);
    },
    async positions(exchange) {
      return [...(positions.get(exchange)?.values() ?? [])].filter((p) => p.quantity !== 0).map((p) => ({ ...p }));
    },
    async savePosition(exchange, symbol, p) {
      savePosition(exchange, symbol, p);
    },
    recordFill: unused,
    recentFills: unused,
    fillsSince: unused,
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
