import type { MarketInfo } from '../../../domain/market.ts';
import { decimalsOf, roundToStep } from '../../../domain/market.ts';
import { CLIENT_ORDER_ID_PATTERN, type Fill, type OrderReport, type OrderRequest, type OrderSide } from '../../../domain/orders.ts';
import { ExecutionError, type Balance } from '../../../ports/execution.ts';
import type { Position } from '../../../domain/portfolio.ts';
import { MarginAccount, SpotAccount, type SimAccount } from './accounts.ts';
import { precisionProblem } from './order-validation.ts';

export interface MatchingEngineOptions {
  markets: ReadonlyMap<string, MarketInfo>;
  marketType: 'spot' | 'swap';
  /** Quote (settlement) currency of the account. */
  quote: string;
  cash: number;
  /** Spot accounts: other assets held at the start (e.g. { BTC: 0.5 }). */
  assets?: Readonly<Record<string, number>>;
  /** Swap accounts: open positions at the start (a restarted paper account). */
  positions?: readonly Position[];
  /** Market orders fill this many basis points worse than the reference price. Default 0. */
  slippageBps?: number;
  /**
   * Share of a candle's volume that resting limit orders of one symbol may take per candle
   * (0 < x ≤ 1, default 0.1): thin candles give partial fills. Infinity disables the cap.
   */
  maxVolumeShare?: number;
  /** Leverage of swap accounts (default 1). */
  leverage?: number;
  /** Prefix of exchange order ids and trade ids. */
  idPrefix?: string;
  /**
   * Keep filled and canceled orders and every fill for `fetchOrder` and `trades` (default true). The
   * backtester books fills from the reports itself and asks for neither: without the history a long
   * backtest does not carry every order it ever placed through each garbage collection.
   */
  history?: boolean;
}

interface OrderState {
  req: OrderRequest;
  market: MarketInfo;
  exchangeOrderId: string;
  status: OrderReport['status'];
  filled: number;
  cost: number;
  fee: number;
  fills: Fill[];
  ts: number;
  /** Simulated time the order was accepted. */
  placedAt: number;
  /** Funds still reserved by the account for the unfilled part. */
  reserved: number;
  reason?: string;
}

export type FillListener = (fill: Fill, realizedPnl: number, order: OrderReport) => void;

/**
 * The sim venue's matching engine: synchronous and pure (time and prices come in as arguments), so
 * paper trading and the backtester share it. Market orders fill at once at the reference price they
 * are given (the next price after the decision) ± slippage, as taker. Limit orders that are
 * marketable fill at once as taker at the better of limit and reference price; the others rest and
 * fill as maker at their limit when a later candle trades through it (low ≤ limit for a buy, high ≥
 * limit for a sell), at most `maxVolumeShare` of that candle's volume per candle.
 * Refusals throw ExecutionError('rejected') with the reason, as a real venue answers an HTTP 400.
 */
export class MatchingEngine {
  readonly account: SimAccount;
  private readonly orders = new Map<string, OrderState>();
  private readonly open = new Map<string, OrderState>();
  private readonly tradesBySymbol = new Map<string, Fill[]>();
  private readonly listeners: FillListener[] = [];
  private readonly slip: number;
  private readonly maxShare: number;
  private readonly prefix: string;
  private readonly history: boolean;
  private seq = 0;
  private tradeSeq = 0;

  constructor(private readonly o: MatchingEngineOptions) {
    if (o.marketType === 'swap') {
      const margin = new MarginAccount(o.quote, o.cash, o.leverage ?? 1);
      for (const p of o.positions ?? []) margin.portfolio.restore(p);
      this.account = margin;
    } else {
      this.account = new SpotAccount(o.quote, o.cash, o.assets);
    }
    this.slip = (o.slippageBps ?? 0) / 10_000;
    this.maxShare = o.maxVolumeShare ?? 0.1;
    this.prefix = o.idPrefix ?? 'sim';
    this.history = o.history ?? true;
  }

  /** Called synchronously for every fill (the backtester books them into its Portfolio). */
  onFill(listener: FillListener): void {
    this.listeners.push(listener);
  }

  market(symbol: string): MarketInfo | undefined {
    return this.o.markets.get(symbol);
  }

  /**
   * Accept (or refuse) an order at simulated time `ts`. `refPrice` is the price a market order
   * executes at (the next price); it is required for market orders and, when given, lets a
   * marketable limit order fill at once.
   */
  placeOrder(req: OrderRequest, ts: number, refPrice?: number): OrderReport {
    const m = this.o.markets.get(req.symbol);
    if (!m) throw new ExecutionError('rejected', `unknown symbol ${req.symbol}: the sim exchange lists ${[...this.o.markets.keys()].join(', ')}`);
    if (!CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      throw new ExecutionError('rejected', `clientOrderId "${req.clientOrderId}" is not valid: 1–36 characters of A-Z a-z 0-9 . : / _ -`);
    }
    // (Asked only when something rests: hashing a new id string is most of a lookup.)
    if (this.open.size !== 0 && this.open.has(req.clientOrderId)) throw new ExecutionError('rejected', `duplicate clientOrderId ${req.clientOrderId}: an open order already uses it`);
    if (req.side !== 'buy' && req.side !== 'sell') throw new ExecutionError('rejected', `side must be buy or sell, got ${String(req.side)}`);
    if (req.type === 'market') {
      if (!(refPrice! > 0)) throw new ExecutionError('rejected', `no price for ${req.symbol} yet: market orders need a last price`);
    } else if (req.type !== 'limit') {
      throw new ExecutionError('rejected', `order type ${String(req.type)} is not supported: use market or limit`);
    }
    const checkPrice = req.type === 'limit' ? req.price! : refPrice!;
    const problem = precisionProblem(m, req, checkPrice);
    if (problem) throw new ExecutionError('rejected', problem);
    if (refPrice! > 0) this.account.mark(m.symbol, refPrice!);

    const marketable = refPrice! > 0 && (req.type === 'market' || (req.side === 'buy' ? refPrice! <= req.price! : refPrice! >= req.price!));
    // Without the history a marketable order lives only for this call (it fills at once and is
    // forgotten): its request and fills need no copies of their own.
    const transient = marketable && !this.history;
    const state: OrderState = {
      req: transient ? req : { ...req },
      market: m,
      exchangeOrderId: `${this.prefix}-${++this.seq}`,
      status: 'open',
      filled: 0,
      cost: 0,
      fee: 0,
      fills: [],
      ts,
      placedAt: ts,
      reserved: 0,
    };
    if (marketable) {
      const price = req.type === 'market' ? this.slipped(m, req.side, refPrice!) : refPrice!;
      const short = this.account.shortfall(m, req.side, req.amount, price, m.takerFee, req.reduceOnly === true);
      if (short) throw new ExecutionError('rejected', short);
      if (this.history) this.orders.set(req.clientOrderId, state);
      this.fill(state, req.amount, price, ts, 'taker');
      return report(state, !transient);
    }
    const short = this.account.shortfall(m, req.side, req.amount, req.price!, m.makerFee, req.reduceOnly === true);
    if (short) throw new ExecutionError('rejected', short);
    state.reserved = this.account.reserve(m, req.side, req.amount, req.price!, m.makerFee);
    // A resting order is kept while open whatever the history setting (cancel names it once closed only with history).
    this.orders.set(req.clientOrderId, state);
    this.open.set(req.clientOrderId, state);
    return report(state);
  }

  cancelOrder(clientOrderId: string, symbol: string, ts: number): OrderReport {
    const s = this.open.get(clientOrderId);
    if (!s || s.req.symbol !== symbol) {
      const known = this.orders.get(clientOrderId);
      if (known && known.req.symbol === symbol) throw new ExecutionError('rejected', `order ${clientOrderId} is ${known.status} and cannot be canceled`);
      throw new ExecutionError('rejected', `unknown order ${clientOrderId} on ${symbol}`);
    }
    this.account.release(s.market, s.req.side, s.reserved);
    s.reserved = 0;
    s.status = 'canceled';
    s.ts = ts;
    this.open.delete(clientOrderId);
    if (!this.history) this.orders.delete(clientOrderId);
    return report(s);
  }

  /**
   * Match resting orders of `symbol` against one candle that opened at `ts`. Orders placed after the
   * candle opened are not matched against it (they could not have traded on its earlier prices).
   */
  matchCandle(symbol: string, ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.open.size === 0) return;
    this.account.mark(symbol, open);
    let capacity = Number.isFinite(this.maxShare) ? this.maxShare * volume : Infinity;
    for (const s of [...this.open.values()]) {
      if (s.req.symbol !== symbol || s.placedAt > ts) continue;
      const limit = s.req.price!;
      const crossed = s.req.side === 'buy' ? low <= limit : high >= limit;
      if (!crossed || !(capacity > 0)) continue;
      const remaining = s.req.amount - s.filled;
      let qty = Math.min(remaining, capacity);
      if (qty < remaining) qty = floorStep(qty, s.market.amountStep);
      if (!(qty > 0)) continue;
      capacity -= qty;
      // A candle that opens through the limit gives the better open price (a gap through the book).
      const price = s.req.side === 'buy' ? Math.min(limit, open) : Math.max(limit, open);
      this.fill(s, qty, price, ts, 'maker');
    }
    this.account.mark(symbol, close);
  }

  /** Match resting orders of `symbol` against a traded price (live price feed: no volume cap). */
  matchPrice(symbol: string, ts: number, price: number): void {
    this.account.mark(symbol, price);
    if (this.open.size === 0) return;
    for (const s of [...this.open.values()]) {
      if (s.req.symbol !== symbol) continue;
      const limit = s.req.price!;
      if (s.req.side === 'buy' ? price <= limit : price >= limit) this.fill(s, s.req.amount - s.filled, limit, ts, 'maker');
    }
  }

  /** Latest order with this clientOrderId (ids may be reused once an order is closed). */
  fetchOrder(clientOrderId: string, symbol?: string): OrderReport | undefined {
    const s = this.orders.get(clientOrderId);
    return s && (symbol === undefined || s.req.symbol === symbol) ? report(s) : undefined;
  }

  openOrders(symbol?: string): OrderReport[] {
    const out: OrderReport[] = [];
    for (const s of this.open.values()) if (symbol === undefined || s.req.symbol === symbol) out.push(report(s));
    return out;
  }

  hasOpenOrders(): boolean {
    return this.open.size > 0;
  }

  hasOpenOrdersFor(symbol: string): boolean {
    for (const s of this.open.values()) if (s.req.symbol === symbol) return true;
    return false;
  }

  /** Symbols with resting orders. */
  openSymbols(): Set<string> {
    const out = new Set<string>();
    for (const s of this.open.values()) out.add(s.req.symbol);
    return out;
  }

  trades(symbol: string, since?: number): Fill[] {
    const all = this.tradesBySymbol.get(symbol) ?? [];
    return all.filter((f) => since === undefined || f.ts >= since).map((f) => ({ ...f }));
  }

  /** A withdrawal out of the simulated account: refused (rejected) when the free balance is short. */
  withdraw(asset: string, amount: number): void {
    if (!(amount > 0)) throw new ExecutionError('rejected', `withdrawal amount must be positive, got ${amount}`);
    const why = this.account.withdraw(asset, amount);
    if (why) throw new ExecutionError('rejected', why);
  }

  balances(): Record<string, Balance> {
    return this.account.balances();
  }

  private slipped(m: MarketInfo, side: OrderSide, price: number): number {
    const p = side === 'buy' ? price * (1 + this.slip) : price * (1 - this.slip);
    return m.priceStep > 0 ? roundToStep(p, m.priceStep) : p;
  }

  private fill(s: OrderState, qty: number, price: number, ts: number, liquidity: 'maker' | 'taker'): void {
    const m = s.market;
    const remainingBefore = s.req.amount - s.filled;
    if (s.reserved > 0) {
      const part = qty >= remainingBefore ? s.reserved : (s.reserved * qty) / remainingBefore;
      this.account.release(m, s.req.side, part);
      s.reserved -= part;
    }
    const fee = qty * price * m.contractSize * (liquidity === 'maker' ? m.makerFee : m.takerFee);
    const pnl = this.account.applyFill(m, s.req.side, qty, price, fee, ts);
    const f: Fill = {
      tradeId: `${this.prefix}-t${++this.tradeSeq}`,
      clientOrderId: s.req.clientOrderId,
      symbol: m.symbol,
      side: s.req.side,
      price,
      amount: qty,
      fee,
      feeCurrency: m.quote,
      ts,
      liquidity,
    };
    s.fills.push(f);
    s.filled = roundAmount(s.filled + qty, m.amountStep);
    s.cost += qty * price;
    s.fee += fee;
    s.ts = ts;
    if (this.history) {
      let list = this.tradesBySymbol.get(m.symbol);
      if (!list) this.tradesBySymbol.set(m.symbol, (list = []));
      list.push(f);
    }
    if (s.filled >= s.req.amount - 1e-12) {
      s.status = 'filled';
      // Not on an empty map: an order that filled at once was never in either, and a delete on an
      // empty map still hashes the id (and may shrink the table, an allocation).
      if (this.open.size !== 0) this.open.delete(s.req.clientOrderId);
      if (!this.history && this.orders.size !== 0) this.orders.delete(s.req.clientOrderId);
    } else {
      s.status = 'partially_filled';
    }
    if (this.listeners.length > 0) {
      const r = report(s);
      for (const l of this.listeners) l(f, pnl, r);
    }
  }
}

function floorStep(value: number, step: number): number {
  return step > 0 ? Math.floor(value / step + 1e-9) * step : value;
}

/** Keep filled quantities free of float dust (0.1 + 0.2 must read 0.3 when the lot is 0.1). */
function roundAmount(value: number, step: number): number {
  return step > 0 ? Number(value.toFixed(Math.min(20, decimalsOf(step) + 2))) : value;
}

/** What the caller gets; `copyFills` false hands over the order's own fills (an order nothing keeps). */
function report(s: OrderState, copyFills = true): OrderReport {
  return {
    clientOrderId: s.req.clientOrderId,
    exchangeOrderId: s.exchangeOrderId,
    symbol: s.req.symbol,
    side: s.req.side,
    type: s.req.type,
    status: s.status,
    amount: s.req.amount,
    filled: s.filled,
    price: s.req.price,
    avgPrice: s.fills.length === 1 ? s.fills[0]!.price : s.filled > 0 ? Number((s.cost / s.filled).toPrecision(12)) : undefined,
    fee: s.fee,
    feeCurrency: s.market.quote,
    fills: copyFills ? s.fills.map((f) => ({ ...f })) : s.fills,
    ts: s.ts,
    reason: s.reason,
  };
}
