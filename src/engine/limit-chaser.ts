import type { Logger } from '../logger.ts';
import type { TradingStore } from '../ports/store.ts';
import type { OrderManager, OrderPlan } from './order-manager.ts';

export interface ChasePolicy {
  /** How long one limit order may rest before it is cancelled and re-priced (ORDER_TIMEOUT). */
  timeoutMs: number;
  /** Re-pricings after the first order (MAX_REQUOTES). */
  maxRequotes: number;
  /** Furthest a re-priced order may be from the first price, % (MAX_PRICE_CHASE). */
  maxChasePct: number;
  /** How often a resting order is checked. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ChaseResult {
  /** filled: the whole amount; given-up: timed out / chased too far / refused, with what filled so far; unknown: an outcome still to settle. */
  status: 'filled' | 'given-up' | 'unknown';
  filled: number;
  clientOrderIds: string[];
  reason?: string;
}

/**
 * A limit order that does not fill in time is cancelled (the cancel follows the unknown-outcome
 * rules: a fill that beat it is accounted) and re-sent for what is left at the current price, up to
 * `maxRequotes` times and never beyond `maxChasePct` from the first price — then it is given up.
 * An order whose outcome is unknown is never re-priced: a second order could double the position.
 */
export async function chaseLimit(d: { orders: OrderManager; store: TradingStore; logger: Logger; price: (symbol: string, side: 'buy' | 'sell') => Promise<number> }, plan: OrderPlan & { price: number }, strategy: string, p: ChasePolicy): Promise<ChaseResult> {
  const sleep = p.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = p.now ?? Date.now;
  const first = plan.price;
  const limit = plan.side === 'buy' ? first * (1 + p.maxChasePct / 100) : first * (1 - p.maxChasePct / 100);
  const ids: string[] = [];
  let filled = 0;
  let price = first;
  for (let quote = 0; ; quote++) {
    const out = await d.orders.submit({ ...plan, type: 'limit', price, quantity: plan.quantity - filled }, strategy);
    if (out.clientOrderId) ids.push(out.clientOrderId);
    if (out.kind === 'rejected') return { status: 'given-up', filled, clientOrderIds: ids, reason: out.reason };
    if (out.kind === 'unknown') return { status: 'unknown', filled, clientOrderIds: ids, reason: out.reason };
    const id = out.clientOrderId;
    const deadline = now() + p.timeoutMs;
    let status = (await d.store.getOrder(id))!.status;
    while (status !== 'filled' && now() < deadline) {
      await sleep(Math.min(p.pollMs ?? 1_000, Math.max(1, deadline - now())));
      status = (await d.orders.refresh(id)) ?? status;
    }
    if (status !== 'filled') {
      try {
        status = await d.orders.cancel(id);
      } catch (err) {
        return { status: 'unknown', filled, clientOrderIds: ids, reason: `cancel of ${id} did not settle: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    filled += (await d.store.getOrder(id))!.filled;
    if (status === 'filled' || filled >= plan.quantity * (1 - 1e-9)) return { status: 'filled', filled, clientOrderIds: ids };
    if (quote >= p.maxRequotes) return { status: 'given-up', filled, clientOrderIds: ids, reason: `not filled after ${quote + 1} orders (MAX_REQUOTES ${p.maxRequotes})` };
    const market = await d.price(plan.symbol, plan.side);
    if (plan.side === 'buy' ? market > limit : market < limit) {
      return { status: 'given-up', filled, clientOrderIds: ids, reason: `the price moved to ${market}, beyond MAX_PRICE_CHASE ${p.maxChasePct}% from ${first}` };
    }
    d.logger.info({ clientOrderId: id, from: price, to: market, requote: quote + 1 }, 'limit order timed out: re-priced');
    price = market;
  }
}
