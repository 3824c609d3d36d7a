import { CLIENT_ORDER_ID_PATTERN } from '../../../src/domain/orders.ts';
import { apiErrors } from './api-error.ts';
import type { LocalMarketSpec } from './markets.ts';

export type BinanceSide = 'BUY' | 'SELL';
export type BinanceOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** Round to 8 decimals, as Binance reports amounts. */
export function r8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

/** NEW or PARTIALLY_FILLED: the states in which a clientOrderId is taken and funds are reserved. */
export function isOpen(o: { status: BinanceOrderStatus }): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}

/** Binance's clientOrderId rule (36 characters of `[.A-Z:/a-z0-9_-]`) — the same one tradeops checks. */
export function checkClientOrderId(id: string): void {
  if (!CLIENT_ORDER_ID_PATTERN.test(id)) throw apiErrors.illegalClientOrderId();
}

interface BookOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  status: BinanceOrderStatus;
}

/** What the spot and USDⓈ-M books share: market lookup and finding orders by id or clientOrderId. */
export abstract class OrderBook<O extends BookOrder> {
  readonly orders: O[] = [];

  constructor(
    protected readonly markets: ReadonlyMap<string, LocalMarketSpec>,
    protected readonly price: (id: string) => number,
    protected readonly now: () => number,
    protected readonly nextId: () => number,
  ) {}

  market(symbol: string | undefined): LocalMarketSpec {
    if (!symbol) throw apiErrors.mandatory('symbol');
    const m = this.markets.get(symbol);
    if (!m) throw apiErrors.invalidSymbol();
    return m;
  }

  /** Latest order of `symbol` with this orderId or clientOrderId (a clientOrderId may be reused once closed). */
  find(symbol: string | undefined, orderId?: string, origClientOrderId?: string): O | undefined {
    const m = this.market(symbol);
    if (orderId === undefined && origClientOrderId === undefined) throw apiErrors.mandatory('orderId');
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i]!;
      if (o.symbol !== m.id) continue;
      if (orderId !== undefined ? String(o.orderId) === orderId : o.clientOrderId === origClientOrderId) return o;
    }
    return undefined;
  }

  open(symbol?: string): O[] {
    if (symbol !== undefined) this.market(symbol);
    return this.orders.filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol));
  }
}
