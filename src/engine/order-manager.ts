import { AppError, isAppError } from '../domain/errors.ts';
import { floorToStep } from '../domain/market.ts';
import { assertTransition, isTerminal, newClientOrderId, type OrderReport, type OrderRequest, type OrderStatus } from '../domain/orders.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import { ExecutionError, type Execution } from '../ports/execution.ts';
import type { OrderRecord, TradingStore } from '../ports/store.ts';
import type { EventBus } from './bus.ts';
import { settleReport } from './fill-processor.ts';
import type { OrderPlan, SubmitOutcome } from './order-plan.ts';
import { lookUpAfterWindow, REQUEST_WINDOW_MS } from './request-window.ts';

export type { OrderPlan, SubmitOutcome } from './order-plan.ts';

export interface OrderManagerOptions {
  execution: Execution;
  store: TradingStore;
  clock: Clock;
  mode: 'paper' | 'live';
  logger: Logger;
  portfolio: Portfolio;
  bus: EventBus;
  /** Account id fills and positions are stored under (default: execution.exchangeId). */
  account?: string;
  clientOrderIdPrefix?: string;
  /** Wait before looking up an order whose create failed without an answer (the venue may lag). */
  lookupDelayMs?: number;
  /** Sends of one clientOrderId at most, each after a lookup that proved the previous never arrived. */
  maxCreateAttempts?: number;
  /**
   * How long after it left a request the venue never answered may still be executed there (default
   * {@link REQUEST_WINDOW_MS}). "The venue does not know this clientOrderId" proves the order never
   * arrived only after that: see `inFlightUntil`.
   */
  requestWindowMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * An order the venue does not show yet may still be on its way (venues lag; a crashed process may
 * have sent it a moment ago): only after this long does "the venue has never seen it" mean rejected.
 */
export const SETTLE_GRACE_MS = 60_000;
export { REQUEST_WINDOW_MS } from './request-window.ts';
/** Every status settlement revisits: not final, so the venue's answer is still needed. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['pending', 'submitted', 'unknown', 'open', 'partially_filled'];

/**
 * Sends orders with a write-ahead record: the order row exists (status `pending`) before the request
 * leaves, so a crash mid-request leaves a trace settlement finds. Every venue answer is accounted by
 * settleReport — status, fills, position and cash in one transaction.
 *
 * Unknown outcomes (a lost answer, a reset connection, "execution status unknown") are never resent
 * blindly: the order is looked up by clientOrderId; found → adopted; the venue answers "no such
 * order" → the same clientOrderId is sent again (at most `maxCreateAttempts` sends); the lookup
 * itself fails → the order stays `unknown` and settlement resolves it later. Nothing is ever resent
 * without such a lookup, and "no such order" counts only once the lost request can no longer arrive
 * (`requestWindowMs` after it left): until then the lookup is repeated, never answered by a resend.
 */
export class OrderManager {
  /** Why new orders are refused right now (shutdown, standby, reconciliation failed…), by key. */
  private readonly holdReasons = new Map<string, string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** clientOrderIds whose create is being sent or looked up by this process right now. */
  private readonly sending = new Set<string>();
  private readonly account: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: OrderManagerOptions) {
    this.account = deps.account ?? deps.execution.exchangeId;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** True when no hold is in place: submit sends orders. */
  get isAccepting(): boolean {
    return this.holdReasons.size === 0;
  }

  /**
   * Refuse new orders until `release(key)`: shutdown, standby (not the leader), a reconciliation
   * that could not finish. Requests already in flight finish (see `drain`).
   */
  hold(key: string, reason: string): void {
    this.holdReasons.set(key, reason);
  }

  release(key: string): void {
    this.holdReasons.delete(key);
  }

  /** Why orders are held (empty when accepting). */
  holds(): string[] {
    return [...this.holdReasons.values()];
  }

  /** Wait for requests in flight, at most `timeoutMs`; true when none is left. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())))]);
    }
    return this.inFlight.size === 0;
  }

  /**
   * Shutdown: orders whose create is still in flight are stored as `unknown` (settled from the venue
   * by clientOrderId at the next start). Returns their ids.
   */
  async markInFlightUnknown(): Promise<string[]> {
    const ids = [...this.sending];
    for (const id of ids) {
      const o = await this.deps.store.getOrder(id);
      if (o?.status === 'pending') await this.transition(id, 'pending', 'unknown', { reason: 'in flight at shutdown: settled from the exchange at the next start' });
    }
    return ids;
  }

  /** Send one order and account its answer. Never throws for venue refusals: see SubmitOutcome. */
  /** `opts.clientOrderId`: chosen and stored by the caller, who must find the order after a crash (kill-all). */
  submit(plan: OrderPlan, strategy: string, opts: { clientOrderId?: string } = {}): Promise<SubmitOutcome> {
    if (!this.isAccepting) return Promise.resolve({ kind: 'rejected', clientOrderId: '', reason: `new orders are held: ${this.holds().join('; ')}` });
    return this.track(this.doSubmit(plan, strategy, opts.clientOrderId));
  }

  /**
   * Send several orders at once (kill-all's closes): every write-ahead row is stored in one statement
   * first, then every request leaves together. One outcome per plan, in order.
   */
  async submitMany(list: ReadonlyArray<{ plan: OrderPlan; clientOrderId: string }>, strategy: string): Promise<Array<Promise<SubmitOutcome>>> {
    if (!this.isAccepting) return list.map(() => Promise.resolve({ kind: 'rejected' as const, clientOrderId: '', reason: `new orders are held: ${this.holds().join('; ')}` }));
    const prepared = list.map((x) => this.prepare(x.plan, strategy, x.clientOrderId));
    const { store } = this.deps;
    if (store.insertOrders) await store.insertOrders(prepared.map((p) => p.record));
    else for (const p of prepared) await store.insertOrder(p.record);
    return prepared.map((p) => {
      const log = this.orderLog(p.record);
      log.info({ side: p.req.side, type: p.req.type, amount: p.req.amount, price: p.req.price, reduceOnly: p.record.reduceOnly, reason: p.record.reason }, 'order sent');
      this.sending.add(p.req.clientOrderId);
      return this.track(this.send(p.req, p.record.symbol, log).finally(() => this.sending.delete(p.req.clientOrderId)));
    });
  }

  private async doSubmit(plan: OrderPlan, strategy: string, chosenId?: string): Promise<SubmitOutcome> {
    const { store } = this.deps;
    const { req, record } = this.prepare(plan, strategy, chosenId);
    await store.insertOrder(record);
    const clientOrderId = req.clientOrderId;
    const log = this.orderLog(record);
    log.info({ side: plan.side, type: req.type, amount: req.amount, price: req.price, reduceOnly: plan.reduceOnly, reason: plan.reason }, 'order sent');
    this.sending.add(clientOrderId);
    try {
      return await this.send(req, plan.symbol, log);
    } finally {
      this.sending.delete(clientOrderId);
    }
  }

  /** The request and its write-ahead row (status pending). */
  private prepare(plan: OrderPlan, strategy: string, chosenId?: string): { req: OrderRequest; record: OrderRecord } {
    const { execution, clock } = this.deps;
    const market = execution.market(plan.symbol);
    const amount = market ? floorToStep(plan.quantity, market.amountStep) : plan.quantity;
    const type = plan.type ?? 'market';
    if (type === 'limit' && !(plan.price! > 0)) throw new AppError('BAD_REQUEST', 'a limit order needs a price above 0');
    const clientOrderId = chosenId ?? newClientOrderId(this.deps.clientOrderIdPrefix ?? 'to', clock.now());
    const req: OrderRequest = { clientOrderId, symbol: plan.symbol, side: plan.side, type, amount, price: type === 'limit' ? plan.price : undefined, reduceOnly: plan.reduceOnly || undefined };
    const now = clock.now();
    const record: OrderRecord = {
      clientOrderId,
      exchange: this.account,
      mode: this.deps.mode,
      symbol: plan.symbol,
      side: plan.side,
      type,
      amount,
      price: req.price,
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
    return { req, record };
  }

  private async send(req: OrderRequest, symbol: string, log: Logger): Promise<SubmitOutcome> {
    const { execution, store } = this.deps;
    const { clientOrderId } = req;
    const maxAttempts = Math.max(1, this.deps.maxCreateAttempts ?? 5);
    for (let attempt = 1; ; attempt++) {
      let report: OrderReport;
      const sentAt = this.deps.clock.now();
      try {
        report = await execution.placeOrder(req);
      } catch (err) {
        if (!(err instanceof ExecutionError && err.kind === 'unknown-outcome')) return this.refused(clientOrderId, err, log);
        const current = (await store.getOrder(clientOrderId))!;
        if (current.status === 'pending') await this.transition(clientOrderId, 'pending', 'unknown', { reason: err.message });
        log.warn({ attempt, err: err.message }, 'order outcome unknown; looking it up by clientOrderId');
        // A refusal on arrival (429) cannot still be queued at the venue: no window to wait out.
        const found = await this.lookUp(clientOrderId, symbol, log, err.refusedOnArrival ? undefined : sentAt);
        if (found === 'lookup-failed') return { kind: 'unknown', clientOrderId, reason: err.message, retryAt: err.retryAt };
        if (found) {
          await this.settle(found);
          return { kind: 'placed', clientOrderId, report: found };
        }
        if (attempt >= maxAttempts) {
          await this.transition(clientOrderId, 'unknown', 'rejected', { reason: `not placed after ${attempt} attempts: ${err.message}` });
          log.warn({ attempts: attempt, err: err.message }, 'order rejected: the exchange never received it');
          return { kind: 'rejected', clientOrderId, reason: `not placed after ${attempt} attempts (the exchange never received it): ${err.message}` };
        }
        log.warn({ attempt }, 'the exchange never received the order; sending it again with the same clientOrderId');
        // The row's updatedAt marks this send: after a crash, settlement and kill-all wait out its window too.
        await this.transition(clientOrderId, 'unknown', 'unknown', { reason: `sent again (attempt ${attempt + 1}): ${err.message}`, updatedAt: this.deps.clock.now() });
        continue;
      }
      await this.settle(report);
      return { kind: 'placed', clientOrderId, report };
    }
  }

  /**
   * When a request for this stored order that got no answer can no longer be executed by the venue:
   * the window after its last send. The row's `createdAt` is the first send and `updatedAt` is at or
   * after the last one (a resend touches the row first; a lost answer marks it `unknown` after it).
   */
  inFlightUntil(order: Pick<OrderRecord, 'createdAt' | 'updatedAt'>): number {
    return this.windowEndAfter(Math.max(order.createdAt, order.updatedAt));
  }

  /** When a request sent at `sentAt` that got no answer can no longer be executed by the venue. */
  windowEndAfter(sentAt: number): number {
    return sentAt + (this.deps.requestWindowMs ?? REQUEST_WINDOW_MS);
  }

  /**
   * The venue's view after a lost answer: a report, undefined when it has never seen the id (looked up
   * again once the request sent at `sentAt` can no longer arrive), or 'lookup-failed'.
   */
  private async lookUp(clientOrderId: string, symbol: string, log: Logger, sentAt?: number): Promise<OrderReport | undefined | 'lookup-failed'> {
    await this.sleep(this.deps.lookupDelayMs ?? 1_000);
    try {
      return await lookUpAfterWindow(() => this.deps.execution.fetchOrder(clientOrderId, symbol), sentAt === undefined ? undefined : this.windowEndAfter(sentAt), {
        clock: this.deps.clock,
        sleep: this.sleep,
        onWait: (waitMs) => log.info({ waitMs }, 'the exchange does not show the order yet; looking again once the request can no longer arrive'),
      });
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'order lookup failed; settlement will retry (never resent)');
      return 'lookup-failed';
    }
  }

  private async refused(clientOrderId: string, err: unknown, log: Logger): Promise<SubmitOutcome> {
    const reason = err instanceof Error ? err.message : String(err);
    log.warn({ err: reason, kind: err instanceof ExecutionError ? err.kind : undefined }, 'order refused by the exchange');
    const current = await this.deps.store.getOrder(clientOrderId);
    if (current && !isTerminal(current.status)) await this.transition(clientOrderId, current.status, 'rejected', { reason });
    if (err instanceof ExecutionError && (err.kind === 'retryable' || err.kind === 'banned')) return { kind: 'rejected', clientOrderId, reason, retryAt: err.retryAt ?? this.deps.clock.now() + 1_000 };
    if (err instanceof ExecutionError && err.kind !== 'unknown-outcome') return { kind: 'rejected', clientOrderId, reason };
    throw err;
  }

  /**
   * Cancel an order. A cancel whose answer is lost is settled by looking the order up; an order
   * that filled before the cancel arrived is accounted as filled. Returns the stored status.
   */
  cancel(clientOrderId: string): Promise<OrderStatus> {
    return this.track(this.doCancel(clientOrderId));
  }

  private async doCancel(clientOrderId: string): Promise<OrderStatus> {
    const record = await this.deps.store.getOrder(clientOrderId);
    if (!record) throw new AppError('NOT_FOUND', `no order ${clientOrderId}`);
    if (isTerminal(record.status)) return record.status;
    try {
      const report = await this.deps.execution.cancelOrder(clientOrderId, record.symbol);
      return (await this.settle(report)) ?? record.status;
    } catch (err) {
      const log = this.orderLog(record);
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'cancel failed or its outcome is unknown; looking the order up');
      const found = await this.lookUp(clientOrderId, record.symbol, log);
      if (found && found !== 'lookup-failed') return (await this.settle(found)) ?? record.status;
      // A create still in flight may yet arrive: "never received" only once its window has passed.
      if (found === undefined && record.status === 'pending' && this.deps.clock.now() >= this.inFlightUntil(record)) {
        await this.transition(clientOrderId, 'pending', 'rejected', { reason: 'the exchange never received this order' });
        return 'rejected';
      }
      throw err instanceof ExecutionError ? err : new ExecutionError('retryable', `cancel of ${clientOrderId} failed: ${String(err)}`);
    }
  }

  /** Ask the venue about one order and account the answer; returns the stored status. */
  async refresh(clientOrderId: string): Promise<OrderStatus | undefined> {
    const record = await this.deps.store.getOrder(clientOrderId);
    if (!record) return undefined;
    if (isTerminal(record.status)) return record.status;
    const report = await this.deps.execution.fetchOrder(clientOrderId, record.symbol);
    return report ? ((await this.settle(report)) ?? record.status) : record.status;
  }

  /** Cancel every order tradeops has open (kill-all). Returns what could not be cancelled. */
  async cancelAll(): Promise<Array<{ clientOrderId: string; error: string }>> {
    const failed: Array<{ clientOrderId: string; error: string }> = [];
    for (const o of await this.deps.store.ordersByStatus(['open', 'partially_filled', 'submitted', 'unknown'])) {
      try {
        await this.cancel(o.clientOrderId);
      } catch (err) {
        failed.push({ clientOrderId: o.clientOrderId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return failed;
  }

  /** Account a venue report against the stored order (atomic, see settleReport). */
  async settle(report: OrderReport): Promise<OrderStatus | undefined> {
    const record = await this.deps.store.getOrder(report.clientOrderId);
    if (!record) return undefined;
    const result = await settleReport(record, report, { ...this.deps, exchange: this.account });
    return result.status;
  }

  private async transition(clientOrderId: string, from: OrderStatus, to: OrderStatus, patch: Partial<Omit<OrderRecord, 'clientOrderId' | 'status'>> = {}): Promise<void> {
    assertTransition(from, to);
    await this.deps.store.applyOrderUpdate({ clientOrderId, expectedStatus: from, patch: { ...patch, status: to }, fills: [] });
  }

  /**
   * Settle every order that is not final (and write-ahead rows a crash left in `pending`) from the
   * venue: its answer wins; an order the venue has never seen is marked rejected. Returns the reports
   * applied. Used at start (before any order), on every tick and by reconciliation.
   */
  async settleOpen(): Promise<OrderReport[]> {
    const { store, execution } = this.deps;
    const settled: OrderReport[] = [];
    for (const o of await store.ordersByStatus(OPEN_STATUSES)) {
      if (o.exchange !== this.account) continue;
      if (this.sending.has(o.clientOrderId)) continue;
      const age = this.deps.clock.now() - o.createdAt;
      if (o.status === 'pending' && age < SETTLE_GRACE_MS) continue; // may still be in flight
      try {
        const report = await execution.fetchOrder(o.clientOrderId, o.symbol);
        if (report) {
          await this.settle(report);
          settled.push(report);
        } else if ((o.status === 'pending' || o.status === 'unknown' || o.status === 'submitted') && age >= SETTLE_GRACE_MS && this.deps.clock.now() >= this.inFlightUntil(o)) {
          await this.transition(o.clientOrderId, o.status, 'rejected', { reason: 'the venue never received this order' });
        }
      } catch (err) {
        if (isAppError(err) && err.code === 'INTERNAL') throw err; // an illegal transition is a bug, not a retry
        this.orderLog(o).warn({ err: err instanceof Error ? err.message : String(err) }, 'could not settle order yet');
      }
    }
    return settled;
  }

  /** @deprecated name kept for callers of the first API: same as settleOpen. */
  settleUnknown(): Promise<OrderReport[]> {
    return this.settleOpen();
  }

  /** A logger whose every line names the order, its symbol and strategy. */
  private orderLog(o: Pick<OrderRecord, 'clientOrderId' | 'symbol' | 'strategy'>): Logger {
    return this.deps.logger.child({ strategy: o.strategy, symbol: o.symbol, clientOrderId: o.clientOrderId });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => {});
    return p;
  }
}
