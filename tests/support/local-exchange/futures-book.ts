import { apiErrors } from './api-error.ts';
import { isMultipleOf, type LocalMarketSpec } from './markets.ts';
import { checkClientOrderId, isOpen, OrderBook, r8, type BinanceOrderStatus, type BinanceSide } from './order-book.ts';

/** USDⓈ-M fees (VIP 0): taker 0.05 %, maker 0.02 %, in USDT. */
export const FUTURES_TAKER_FEE = 0.0005;
export const FUTURES_MAKER_FEE = 0.0002;
export const DEFAULT_LEVERAGE = 20;

export interface FuturesTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: BinanceSide;
  price: number;
  qty: number;
  quoteQty: number;
  realizedPnl: number;
  commission: number;
  time: number;
  maker: boolean;
}

export interface FuturesOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: BinanceSide;
  type: 'MARKET' | 'LIMIT';
  timeInForce: string;
  price: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  status: BinanceOrderStatus;
  reduceOnly: boolean;
  time: number;
  updateTime: number;
}

/** One-way mode position: signed amount (long > 0, short < 0). */
export interface Position {
  amt: number;
  entryPrice: number;
  updateTime: number;
}

export interface NewFuturesOrder {
  symbol?: string;
  side?: string;
  type?: string;
  timeInForce?: string;
  quantity?: string;
  price?: string;
  reduceOnly?: string;
  newClientOrderId?: string;
}


/** USDⓈ-M account of the local exchange: USDT wallet, one-way positions, leverage, margin checks. */
export class FuturesBook extends OrderBook<FuturesOrder> {
  wallet: number;
  walletUpdateTime: number;
  readonly positions = new Map<string, Position>();
  readonly leverage = new Map<string, number>();
  readonly trades: FuturesTrade[] = [];

  constructor(markets: ReadonlyMap<string, LocalMarketSpec>, price: (id: string) => number, now: () => number, nextId: () => number, initialWallet: number) {
    super(markets, price, now, nextId);
    this.wallet = initialWallet;
    this.walletUpdateTime = now();
  }

  position(symbolId: string): Position {
    let p = this.positions.get(symbolId);
    if (!p) {
      p = { amt: 0, entryPrice: 0, updateTime: 0 };
      this.positions.set(symbolId, p);
    }
    return p;
  }

  leverageOf(symbolId: string): number {
    return this.leverage.get(symbolId) ?? DEFAULT_LEVERAGE;
  }

  /** POST /fapi/v1/leverage */
  setLeverage(symbol: string | undefined, leverage: string | undefined): number {
    const m = this.market(symbol);
    const lev = Number(leverage);
    if (!Number.isInteger(lev) || lev < 1 || lev > 125) throw apiErrors.invalidLeverage(String(leverage));
    this.leverage.set(m.id, lev);
    return lev;
  }

  markPrice(symbolId: string): number {
    return this.price(symbolId);
  }

  unrealized(symbolId: string): number {
    const p = this.positions.get(symbolId);
    if (!p || p.amt === 0) return 0;
    return r8(p.amt * (this.price(symbolId) - p.entryPrice));
  }

  positionMargin(symbolId: string): number {
    const p = this.positions.get(symbolId);
    if (!p || p.amt === 0) return 0;
    return r8((Math.abs(p.amt) * this.price(symbolId)) / this.leverageOf(symbolId));
  }

  orderMargin(): number {
    let sum = 0;
    for (const o of this.orders) {
      if (isOpen(o)) sum += ((o.origQty - o.executedQty) * o.price) / this.leverageOf(o.symbol);
    }
    return r8(sum);
  }

  totals(): { unrealized: number; positionMargin: number; orderMargin: number; marginBalance: number; available: number } {
    let unrealized = 0;
    let positionMargin = 0;
    for (const id of this.positions.keys()) {
      unrealized += this.unrealized(id);
      positionMargin += this.positionMargin(id);
    }
    const orderMargin = this.orderMargin();
    const marginBalance = r8(this.wallet + unrealized);
    return { unrealized: r8(unrealized), positionMargin: r8(positionMargin), orderMargin, marginBalance, available: r8(marginBalance - positionMargin - orderMargin) };
  }

  /** POST /fapi/v1/order */
  newOrder(p: NewFuturesOrder): FuturesOrder {
    const m = this.market(p.symbol);
    if (p.side !== 'BUY' && p.side !== 'SELL') throw p.side ? apiErrors.invalidSide() : apiErrors.mandatory('side');
    if (!p.type) throw apiErrors.mandatory('type');
    if (p.type !== 'MARKET' && p.type !== 'LIMIT') throw apiErrors.invalidOrderType();
    const clientOrderId = p.newClientOrderId ?? `local-${this.nextId()}`;
    checkClientOrderId(clientOrderId);
    if (this.orders.some((o) => o.clientOrderId === clientOrderId && isOpen(o))) throw apiErrors.duplicateClientOrderIdFutures();
    if (p.quantity === undefined) throw apiErrors.mandatory('quantity');
    let qty = Number(p.quantity);
    if (!(qty > 0)) throw apiErrors.mandatory('quantity');
    const isMarket = p.type === 'MARKET';
    const current = this.price(m.id);
    let price = 0;
    if (!isMarket) {
      if (p.price === undefined) throw apiErrors.mandatory('price');
      if (p.timeInForce === undefined) throw apiErrors.mandatory('timeInForce');
      price = Number(p.price);
      if (!(price > 0) || !isMultipleOf(price, m.tickSize)) throw apiErrors.filterFailure('PRICE_FILTER');
    }
    if (qty < m.minQty || qty > m.maxQty || !isMultipleOf(qty, m.stepSize)) throw apiErrors.filterFailure('LOT_SIZE');
    const reduceOnly = p.reduceOnly === 'true';
    const pos = this.position(m.id);
    const dir = p.side === 'BUY' ? 1 : -1;
    if (reduceOnly) {
      // Reduce-only must shrink an existing position in the opposite direction.
      if (pos.amt === 0 || Math.sign(pos.amt) === dir) throw apiErrors.reduceOnlyRejected();
      qty = Math.min(qty, Math.abs(pos.amt));
    }
    const refPrice = isMarket ? current : price;
    if (!reduceOnly && qty * refPrice < m.minNotional) throw apiErrors.futuresNotional(m.minNotional);
    const increasing = pos.amt === 0 || Math.sign(pos.amt) === dir ? qty : Math.max(0, qty - Math.abs(pos.amt));
    const required = (increasing * refPrice) / this.leverageOf(m.id) + (isMarket ? qty * refPrice * FUTURES_TAKER_FEE : 0);
    if (required > this.totals().available + 1e-9) throw apiErrors.marginInsufficient();

    const ts = this.now();
    const order: FuturesOrder = {
      orderId: this.nextId(),
      symbol: m.id,
      clientOrderId,
      side: p.side,
      type: p.type,
      timeInForce: p.timeInForce ?? 'GTC',
      price,
      origQty: qty,
      executedQty: 0,
      cumQuote: 0,
      status: 'NEW',
      reduceOnly,
      time: ts,
      updateTime: ts,
    };
    this.orders.push(order);
    const marketable = isMarket || (p.side === 'BUY' ? price >= current : price <= current);
    if (marketable) this.fill(order, current, false);
    return order;
  }

  match(symbolId: string, price: number): void {
    if (!this.markets.has(symbolId)) return;
    for (const o of this.orders) {
      if (o.symbol !== symbolId || !isOpen(o)) continue;
      if ((o.side === 'BUY' && price <= o.price) || (o.side === 'SELL' && price >= o.price)) this.fill(o, o.price, true);
    }
  }

  private fill(o: FuturesOrder, price: number, maker: boolean): void {
    const qty = r8(o.origQty - o.executedQty);
    const pos = this.position(o.symbol);
    const delta = o.side === 'BUY' ? qty : -qty;
    let realized = 0;
    if (pos.amt === 0 || Math.sign(pos.amt) === Math.sign(delta)) {
      pos.entryPrice = r8((Math.abs(pos.amt) * pos.entryPrice + qty * price) / (Math.abs(pos.amt) + qty));
      pos.amt = r8(pos.amt + delta);
    } else {
      const closing = Math.min(qty, Math.abs(pos.amt));
      realized = r8(closing * (price - pos.entryPrice) * Math.sign(pos.amt));
      const before = pos.amt;
      pos.amt = r8(pos.amt + delta);
      if (pos.amt === 0) pos.entryPrice = 0;
      else if (Math.sign(pos.amt) !== Math.sign(before)) pos.entryPrice = price;
    }
    const quoteQty = r8(qty * price);
    const commission = r8(quoteQty * (maker ? FUTURES_MAKER_FEE : FUTURES_TAKER_FEE));
    const ts = this.now();
    pos.updateTime = ts;
    this.wallet = r8(this.wallet + realized - commission);
    this.walletUpdateTime = ts;
    const trade: FuturesTrade = { id: this.nextId(), orderId: o.orderId, symbol: o.symbol, side: o.side, price, qty, quoteQty, realizedPnl: realized, commission, time: ts, maker };
    this.trades.push(trade);
    o.executedQty = r8(o.executedQty + qty);
    o.cumQuote = r8(o.cumQuote + quoteQty);
    o.status = 'FILLED';
    o.updateTime = ts;
  }


  cancel(symbol: string | undefined, orderId?: string, origClientOrderId?: string): FuturesOrder {
    const o = this.find(symbol, orderId, origClientOrderId);
    if (!o || !isOpen(o)) throw apiErrors.unknownOrderCancel();
    o.status = 'CANCELED';
    o.updateTime = this.now();
    return o;
  }
}
