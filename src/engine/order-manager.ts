import { isAppError } from '../domain/errors.ts';
import { floorToStep } from '../domain/market.ts';
import { assertTransition, newClientOrderId, type OrderReport, type OrderRequest, type OrderStatus } from '../domain/orders.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import { ExecutionError, type Execution } from '../ports/execution.ts';
import type { OrderRecord, TradingStore } from '../ports/store.ts';
import type { PlannedOrder } from '../risk/decide.ts';

export type SubmitOutcome =
  | { kind: 'placed'; clientOrderId: string; report: OrderReport }
  | { kind: 'rejected'; clientOrderId: string; reason: string }
  | { kind: 'unknown'; clientOrderId: string; reason: string };

/** Orders stuck in `pending` longer than this never reached the venue if the venue does not know them. */
const PENDING_GRACE_MS = 60_000;

/**
 * Sends orders with a write-ahead record: the order row exists (status `pending`) before the request
 * leaves, so a crash mid-request leaves a trace the reconciler settles. A lost response becomes
 * `unknown` and is settled by looking the order up by clientOrderId — never by resending.
 */
export class OrderManager {
  constructor(
    private readonly deps: {
      execution: Execution;
      store: TradingStore;
      clock: Clock;
      mode: 'paper' | 'live';
      logger: Logger;
      clientOrderIdPrefix?: string;
    },
  ) {}

  async submit(plan: PlannedOrder, strategy: string): Promise<SubmitOutcome> {
    const { execution, store, clock } = this.deps;
    const market = execution.market(plan.symbol);
    const amount = market ? floorToStep(plan.quantity, market.amountStep) : plan.quantity;
    const clientOrderId = newClientOrderId(this.deps.clientOrderIdPrefix ?? 'to', clock.now());
    const req: OrderRequest = { clientOrderId, symbol: plan.symbol, side: plan.side, type: 'market', amount, reduceOnly: plan.reduceOnly || undefined };
    const now = clock.now();
    const record: OrderRecord = {
      clientOrderId,
      exchange: execution.exchangeId,
      mode: this.deps.mode,
      symbol: plan.symbol,
      side: plan.side,
      type: 'market',
      amount,
      reduceOnly: plan.reduceOnly,
      status: 'pending',
      filled: 0,
      fee: 0,
      strategy,
      reason: plan.reason,
      intent: { kind: plan.kind, positionSide: plan.positionSide, stopLoss: plan.stopLoss, takeProfit: plan.takeProfit },
      createdAt: now,
      updatedAt: now,
    };
    await store.insertOrder(record);
    try {
      const report = await execution.placeOrder(req);
      await this.applyReport('pending', report);
      return { kind: 'placed', clientOrderId, report };
    } catch (err) {
      if (err instanceof ExecutionError && err.kind === 'unknown-outcome') {
        await this.transition(clientOrderId, 'pending', 'unknown', { reason: err.message });
        this.deps.logger.warn({ clientOrderId, err }, 'order outcome unknown; will settle by clientOrderId');
        return { kind: 'unknown', clientOrderId, reason: err.message };
      }
      const reason = err instanceof Error ? err.message : String(err);
      await this.transition(clientOrderId, 'pending', 'rejected', { reason });
      if (err instanceof ExecutionError && (err.kind === 'rejected' || err.kind === 'unsupported')) {
        return { kind: 'rejected', clientOrderId, reason };
      }
      throw err;
    }
  }

  /**
   * Move an order along the lifecycle table (src/domain/orders.ts). An illegal move is a bug in
   * tradeops — it throws before anything is written.
   */
  private async transition(clientOrderId: string, from: OrderStatus, to: OrderStatus, patch: Partial<Omit<OrderRecord, 'clientOrderId' | 'status'>> = {}): Promise<void> {
    assertTransition(from, to);
    await this.deps.store.updateOrder(clientOrderId, { ...patch, status: to });
  }

  /** Store the venue's view of an order (status, fill totals), from the status we knew it in. */
  private async applyReport(from: OrderStatus, report: OrderReport): Promise<void> {
    await this.transition(report.clientOrderId, from, report.status, {
      exchangeOrderId: report.exchangeOrderId,
      filled: report.filled,
      avgPrice: report.avgPrice,
      fee: report.fee,
      feeCurrency: report.feeCurrency,
      reason: report.reason,
    });
  }

  /**
   * Settle orders whose outcome is unknown (and write-ahead rows a crash left in `pending`): the
   * venue's answer wins; an order the venue has never seen is marked rejected.
   */
  async settleUnknown(): Promise<OrderReport[]> {
    const { store, execution, clock } = this.deps;
    const settled: OrderReport[] = [];
    for (const o of await store.ordersByStatus(['unknown', 'pending', 'submitted'])) {
      if (o.status === 'pending' && clock.now() - o.createdAt < PENDING_GRACE_MS) continue;
      try {
        const report = await execution.fetchOrder(o.clientOrderId, o.symbol);
        if (report) {
          await this.applyReport(o.status, report);
          settled.push(report);
        } else if (clock.now() - o.createdAt >= PENDING_GRACE_MS || o.status === 'pending') {
          await this.transition(o.clientOrderId, o.status, 'rejected', { reason: 'the venue never received this order' });
        }
      } catch (err) {
        if (isAppError(err) && err.code === 'INTERNAL') throw err; // an illegal transition is a bug, not a retry
        this.deps.logger.warn({ clientOrderId: o.clientOrderId, err }, 'could not settle order yet');
      }
    }
    return settled;
  }
}
