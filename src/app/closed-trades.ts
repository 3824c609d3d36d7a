import { type ClosedTrade, closedTrades } from '../domain/closed-trades.ts';
import type { TradingStore } from '../ports/store.ts';

/**
 * Closed trades of one account, newest exit first (`/trades`, `/performance`). Round trips are
 * rebuilt from every stored fill — a trade may have opened long ago — and named by their exit
 * order's reason.
 */
export async function loadClosedTrades(store: Pick<TradingStore, 'fillsSince' | 'ordersSince'>, exchange: string, limit?: number): Promise<ClosedTrade[]> {
  const [fills, orders] = await Promise.all([store.fillsSince(0), store.ordersSince(exchange, 0)]);
  const reasons = new Map(orders.map((o) => [o.clientOrderId, o.reason]));
  const all = closedTrades(fills.filter((f) => f.exchange === exchange), (id) => reasons.get(id));
  return limit === undefined ? all : all.slice(0, limit);
}
