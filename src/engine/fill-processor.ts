import type { OrderReport } from '../domain/orders.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import type { TradingStore } from '../ports/store.ts';
import type { EventBus } from './bus.ts';
import type { PlannedOrder } from '../risk/decide.ts';

/**
 * Account the fills of an order report: portfolio, storage (idempotent by trade id) and events.
 * A fill already stored (a report seen twice) changes nothing.
 */
export async function applyReportFills(
  report: OrderReport,
  plan: Pick<PlannedOrder, 'kind' | 'stopLoss' | 'takeProfit' | 'reason'> | undefined,
  deps: { portfolio: Portfolio; store: TradingStore; bus: EventBus; exchange: string; strategy: string },
): Promise<void> {
  const { portfolio, store, bus, exchange } = deps;
  for (const fill of report.fills) {
    const checkpoint = portfolio.checkpoint(fill.symbol);
    const effect = portfolio.applyFill(fill.symbol, fill.side, fill.amount, fill.price, fill.fee, fill.ts);
    if (plan?.kind === 'entry' && effect.after) portfolio.setProtection(fill.symbol, plan.stopLoss, plan.takeProfit);
    const after = portfolio.get(fill.symbol);
    const stored = await store.recordFill({ ...fill, exchange, realizedPnl: effect.realizedPnl }, after, portfolio.cash);
    if (!stored) {
      // Seen before: undo the in-memory effect so memory and storage agree.
      portfolio.rollback(checkpoint);
      continue;
    }
    bus.publish({ type: 'fill', ts: fill.ts, fill });
    if (effect.closedQuantity > 0 && effect.before) {
      const side = effect.before.quantity > 0 ? 'long' : 'short';
      const basis = effect.before.entryPrice * effect.closedQuantity;
      bus.publish({
        type: 'exit',
        ts: fill.ts,
        symbol: fill.symbol,
        side,
        price: fill.price,
        quantity: effect.closedQuantity,
        pnl: effect.realizedPnl - fill.fee,
        pnlPct: basis > 0 ? ((effect.realizedPnl - fill.fee) / basis) * 100 : 0,
        reason: plan?.reason ?? 'exit',
        clientOrderId: fill.clientOrderId,
      });
    }
    const opened = effect.after && (!effect.before || Math.sign(effect.before.quantity) !== Math.sign(effect.after.quantity));
    if (opened && effect.after) {
      bus.publish({
        type: 'entry',
        ts: fill.ts,
        symbol: fill.symbol,
        side: effect.after.quantity > 0 ? 'long' : 'short',
        price: fill.price,
        quantity: Math.abs(effect.after.quantity),
        clientOrderId: fill.clientOrderId,
        strategy: deps.strategy,
        reason: plan?.reason,
      });
    }
  }
}
