import { apiErrors } from './api-error.ts';
import { isMultipleOf, type LocalMarketSpec } from './markets.ts';
import { checkClientOrderId, isOpen, OrderBook, r8, type BinanceOrderStatus, type BinanceSide } from './order-book.ts';

/** Binance spot fee (0.1 %), charged in the asset received — as on a real account without BNB. */
export const SPOT_FEE_RATE = 0.001;

export type { BinanceOrderStatus, BinanceSide } from './order-book.ts';

export interface SpotTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: BinanceSide;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isMaker: boolean;
}

export interface SpotOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: BinanceSide;
  type: 'MARKET' | 'LIMIT' | 'LIMIT_MAKER';
  timeInForce: string;
  /** Limit price (0 for market orders). */
  price: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  status: BinanceOrderStatus;
  time: number;
  updateTime: number;
  fills: SpotTrade[];
}

export interface Balance {
  free: number;
  locked: number;
}

export interface NewSpotOrder {
  symbol?: string;
  side?: string;
  type?: string;
  timeInForce?: string;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  newClientOrderId?: string;
}


/** Spot account and order book of the local exchange: real balances, resting orders, fills. */
export class SpotBook extends OrderBook<SpotOrder> {
  readonly balances = new Map<string, Balance>();
  readonly trades: SpotTrade[] = [];

  balance(asset: string): Balance {
    let b = this.balances.get(asset);
    if (!b) {
      b = { free: 0, locked: 0 };
      this.balances.set(asset, b);
    }
    return b;
  }


  /** POST /api/v3/order — validates like Binance (filters, funds, duplicate clientOrderId), then fills or rests. */
  newOrder(p: NewSpotOrder): SpotOrder {
    const m = this.market(p.symbol);
    if (p.side !== 'BUY' && p.side !== 'SELL') throw p.side ? apiErrors.invalidSide() : apiErrors.mandatory('side');
    if (!p.type) throw apiErrors.mandatory('type');
    if (p.type !== 'MARKET' && p.type !== 'LIMIT' && p.type !== 'LIMIT_MAKER') throw apiErrors.invalidOrderType();
    const clientOrderId = p.newClientOrderId ?? `local-${this.nextId()}`;
    checkClientOrderId(clientOrderId);
    if (this.orders.some((o) => o.clientOrderId === clientOrderId && isOpen(o))) throw apiErrors.duplicateOrder();

    const current = this.price(m.id);
    const isMarket = p.type === 'MARKET';
    let qty: number;
    if (p.quantity !== undefined) qty = Number(p.quantity);
    else if (isMarket && p.quoteOrderQty !== undefined) qty = r8(Math.floor(Number(p.quoteOrderQty) / current / m.stepSize) * m.stepSize);
    else throw apiErrors.mandatory('quantity');
    if (!(qty > 0)) throw apiErrors.mandatory('quantity');
    let price = 0;
    if (!isMarket) {
      if (p.price === undefined) throw apiErrors.mandatory('price');
      if (p.type === 'LIMIT' && p.timeInForce === undefined) throw apiErrors.mandatory('timeInForce');
      price = Number(p.price);
      if (!(price > 0) || !isMultipleOf(price, m.tickSize)) throw apiErrors.filterFailure('PRICE_FILTER');
    }
    if (qty < m.minQty || qty > m.maxQty || !isMultipleOf(qty, m.stepSize)) throw apiErrors.filterFailure('LOT_SIZE');
    const refPrice = isMarket ? current : price;
    if (qty * refPrice < m.minNotional) throw apiErrors.filterFailure('NOTIONAL');
    const marketable = isMarket || (p.side === 'BUY' ? price >= current : price <= current);
    if (p.type === 'LIMIT_MAKER' && marketable) throw apiErrors.wouldTake();
    // Funds are checked against the price the order reserves (limit) or trades at (market).
    if (p.side === 'BUY' && this.balance(m.quote).free < r8(qty * refPrice)) throw apiErrors.insufficientBalance();
    if (p.side === 'SELL' && this.balance(m.base).free < qty) throw apiErrors.insufficientBalance();

    const ts = this.now();
    const order: SpotOrder = {
      orderId: this.nextId(),
      symbol: m.id,
      clientOrderId,
      side: p.side,
      type: p.type,
      timeInForce: isMarket ? 'GTC' : (p.timeInForce ?? 'GTC'),
      price,
      origQty: qty,
      executedQty: 0,
      cumQuote: 0,
      status: 'NEW',
      time: ts,
      updateTime: ts,
      fills: [],
    };
    this.orders.push(order);
    if (marketable) {
      this.fill(order, m, current, false);
    } else if (p.side === 'BUY') {
      const b = this.balance(m.quote);
      b.free = r8(b.free - qty * price);
      b.locked = r8(b.locked + qty * price);
    } else {
      const b = this.balance(m.base);
      b.free = r8(b.free - qty);
      b.locked = r8(b.locked + qty);
    }
    return order;
  }

  /** Resting limit orders fill at their limit price once the market price crosses them. */
  match(symbolId: string, price: number): void {
    const m = this.markets.get(symbolId);
    if (!m) return;
    for (const o of this.orders) {
      if (o.symbol !== symbolId || !isOpen(o)) continue;
      if ((o.side === 'BUY' && price <= o.price) || (o.side === 'SELL' && price >= o.price)) this.fill(o, m, o.price, true);
    }
  }

  private fill(o: SpotOrder, m: LocalMarketSpec, price: number, resting: boolean): void {
    const qty = r8(o.origQty - o.executedQty);
    const cost = r8(qty * price);
    const quote = this.balance(m.quote);
    const base = this.balance(m.base);
    let commission: number;
    let commissionAsset: string;
    if (o.side === 'BUY') {
      if (resting) {
        quote.locked = r8(quote.locked - qty * o.price);
        quote.free = r8(quote.free + qty * o.price - cost);
      } else {
        quote.free = r8(quote.free - cost);
      }
      commission = r8(qty * SPOT_FEE_RATE);
      commissionAsset = m.base;
      base.free = r8(base.free + qty - commission);
    } else {
      if (resting) base.locked = r8(base.locked - qty);
      else base.free = r8(base.free - qty);
      commission = r8(cost * SPOT_FEE_RATE);
      commissionAsset = m.quote;
      quote.free = r8(quote.free + cost - commission);
    }
    const trade: SpotTrade = {
      id: this.nextId(),
      orderId: o.orderId,
      symbol: o.symbol,
      side: o.side,
      price,
      qty,
      quoteQty: cost,
      commission,
      commissionAsset,
      time: this.now(),
      isMaker: resting,
    };
    this.trades.push(trade);
    o.fills.push(trade);
    o.executedQty = r8(o.executedQty + qty);
    o.cumQuote = r8(o.cumQuote + cost);
    o.status = 'FILLED';
    o.updateTime = trade.time;
  }


  /** DELETE /api/v3/order — only an open order can be canceled (-2011 otherwise). */
  cancel(symbol: string | undefined, orderId?: string, origClientOrderId?: string): SpotOrder {
    const o = this.find(symbol, orderId, origClientOrderId);
    if (!o || !isOpen(o)) throw apiErrors.unknownOrderCancel();
    const m = this.market(symbol);
    const remaining = r8(o.origQty - o.executedQty);
    if (o.side === 'BUY') {
      const b = this.balance(m.quote);
      b.locked = r8(b.locked - remaining * o.price);
      b.free = r8(b.free + remaining * o.price);
    } else {
      const b = this.balance(m.base);
      b.locked = r8(b.locked - remaining);
      b.free = r8(b.free + remaining);
    }
    o.status = 'CANCELED';
    o.updateTime = this.now();
    return o;
  }
}
