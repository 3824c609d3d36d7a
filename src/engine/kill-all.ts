import type { KillAllLine } from '../domain/events.ts';
import { floorToStep } from '../domain/market.ts';
import { isTerminal, type OrderReport } from '../domain/orders.ts';
import { ExecutionError } from '../ports/execution.ts';
import type { KillItem, KillRun } from '../ports/risk-store.ts';
import { runPreflight } from '../risk/preflight/index.ts';
import type { OrderPlan, SubmitOutcome } from './order-manager.ts';
import { lookUpAfterWindow } from './request-window.ts';
import { withRetryAfter } from './venue-retry.ts';
import type { KillAllDeps } from './kill-all-deps.ts';

export type { KillAllDeps } from './kill-all-deps.ts';

export interface KillPlanLine {
  symbol: string;
  quantity: number;
  orders: number;
  external: boolean;
}

const OPEN_STATUSES = ['open', 'partially_filled', 'submitted'] as const;

/**
 * Kill-all: flatten everything tradeops holds, fast and safely. The trading state latches HALTED and
 * the run (its per-symbol plan) is persisted before the first request, so a process killed halfway
 * resumes the run at its next start. Each symbol runs in parallel and alone — cancel tradeops' open
 * orders, then close the position with reduce-only market orders for exactly what tradeops holds —
 * and one symbol's failure never stops another. Every close has its own clientOrderId, written to the
 * run before it is sent and looked up before any resend; a 429 waits its Retry-After.
 */
export class KillAll {
  private current: Promise<KillRun> | undefined;
  private currentId: number | undefined;
  /** First-close ids this process chose with a run and has not sent yet (a resumed run has none: it looks up). */
  private readonly presetUnsent = new Set<string>();

  constructor(private readonly d: KillAllDeps) {}

  get runningId(): number | undefined {
    return this.currentId;
  }

  /** What a kill-all would do now: per symbol, the position and the open orders tradeops owns. */
  async plan(includeExternal: boolean): Promise<KillPlanLine[]> {
    const byId = new Map<string, KillPlanLine>();
    const line = (symbol: string) => {
      let l = byId.get(symbol);
      if (!l) byId.set(symbol, (l = { symbol, quantity: 0, orders: 0, external: false }));
      return l;
    };
    for (const p of this.d.portfolio.all()) line(p.symbol).quantity = p.quantity;
    for (const o of await this.d.store.ordersByStatus([...OPEN_STATUSES])) line(o.symbol).orders++;
    // (external holdings below are reported in `quantity` too, marked external)
    if (includeExternal) {
      for (const e of await this.externalOrders()) {
        const l = line(e.symbol);
        l.orders++;
        l.external = true;
      }
      for (const h of await this.externalHoldings()) {
        const l = line(h.symbol);
        l.quantity += h.quantity;
        l.external = true;
      }
    }
    return [...byId.values()].filter((l) => l.quantity !== 0 || l.orders > 0).sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  /**
   * Start a kill-all (or join the one running: `started` false). Resolves once HALTED and the run are
   * persisted; `done` resolves with the finished run.
   */
  async start(by: string, includeExternal: boolean, reason = 'kill-all'): Promise<{ started: boolean; runId: number; done: Promise<KillRun> }> {
    if (this.current && this.currentId !== undefined) return { started: false, runId: this.currentId, done: this.current };
    const pending = await this.d.riskStore.runningKillRun();
    if (pending) return { started: false, runId: pending.id, done: this.resume(pending) };
    const { clock } = this.d;
    // Latch first: nothing of the strategy's may go out once the flattening starts.
    await this.d.tradingState.set('HALTED', `${reason} by ${by}`, by);
    const items = await this.buildItems(includeExternal);
    const startedAt = clock.now();
    // Every first close gets its clientOrderId now, written with the run in one row: the closes can
    // all leave at once, none waits for its own write (a resumed run looks each one up first).
    for (const it of items) {
      if (it.quantity === 0) continue;
      it.closeId = `ka${startedAt.toString(36)}-${it.symbol.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}-1`;
      this.presetUnsent.add(it.closeId);
    }
    const run: Omit<KillRun, 'id'> = { status: 'running', requestedBy: by, includeExternal, reason, startedAt, items };
    const id = await this.d.riskStore.createKillRun(run);
    this.d.bus.publish({ type: 'kill-all', ts: clock.now(), runId: id, phase: 'started', by, lines: items.map(lineOf) });
    return { started: true, runId: id, done: this.execute({ ...run, id }, true) };
  }

  /** At start: finish a run a killed process left behind. */
  async resumePending(): Promise<KillRun | undefined> {
    const pending = await this.d.riskStore.runningKillRun();
    if (!pending) return undefined;
    this.d.logger.warn({ runId: pending.id }, 'resuming an interrupted kill-all');
    if (this.d.tradingState.get().state !== 'HALTED') await this.d.tradingState.set('HALTED', `kill-all #${pending.id} resumed`, 'system');
    return this.resume(pending);
  }

  private resume(run: KillRun): Promise<KillRun> {
    if (this.current && this.currentId === run.id) return this.current;
    return this.execute(run, false);
  }

  /** `fresh`: this process created the run, so its preset first closes were never sent. */
  private execute(run: KillRun, fresh: boolean): Promise<KillRun> {
    this.currentId = run.id;
    const p = (async () => {
      try {
        const save = () => this.d.riskStore.updateKillRun(run.id, { items: run.items });
        const early = fresh ? await this.sendFirstCloses(run) : new Map<string, Promise<SubmitOutcome>>();
        await Promise.all(run.items.map((item) => this.flattenSymbol(run, item, save, fresh, early.get(item.symbol))));
        const finishedAt = this.d.clock.now();
        await this.d.riskStore.updateKillRun(run.id, { status: 'done', finishedAt, items: run.items });
        const done: KillRun = { ...run, status: 'done', finishedAt };
        this.d.bus.publish({ type: 'kill-all', ts: finishedAt, runId: run.id, phase: 'finished', by: run.requestedBy, lines: run.items.map(lineOf) });
        return done;
      } finally {
        this.current = undefined;
        this.currentId = undefined;
      }
    })();
    this.current = p;
    return p;
  }

  private async buildItems(includeExternal: boolean): Promise<KillItem[]> {
    const items = new Map<string, KillItem>();
    const item = (symbol: string) => {
      let it = items.get(symbol);
      if (!it) items.set(symbol, (it = { symbol, outcome: 'pending', detail: '', quantity: 0, cancel: [], attempts: 0 }));
      return it;
    };
    for (const p of this.d.portfolio.all()) item(p.symbol).quantity = p.quantity;
    for (const o of await this.d.store.ordersByStatus([...OPEN_STATUSES])) item(o.symbol).cancel.push(o.clientOrderId);
    if (includeExternal) {
      for (const e of await this.externalOrders()) item(e.symbol).cancel.push(e.clientOrderId);
      for (const h of await this.externalHoldings()) item(h.symbol).external = h.quantity;
    }
    return [...items.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  /** One symbol, start to end; never throws (its failure is its own line in the report). */
  /**
   * A fresh run's first closes for symbols with no order to cancel first: their write-ahead rows in
   * one statement, then every request at once (the closes are on the wire together, not one database
   * write apart). Anything that cannot go this way (a denial, nothing to close) is left to its symbol.
   */
  private async sendFirstCloses(run: KillRun): Promise<Map<string, Promise<SubmitOutcome>>> {
    const out = new Map<string, Promise<SubmitOutcome>>();
    const batch: Array<{ item: KillItem; plan: OrderPlan }> = [];
    for (const item of run.items) {
      if (item.outcome !== 'pending' || item.cancel.length > 0 || !item.closeId || !this.presetUnsent.has(item.closeId)) continue;
      try {
        const next = this.nextClose(item, run);
        if (next.kind === 'send') batch.push({ item, plan: next.plan });
      } catch {
        // its symbol meets the same refusal and reports it
      }
    }
    if (batch.length === 0) return out;
    try {
      const sent = await this.d.orders.submitMany(batch.map((b) => ({ plan: b.plan, clientOrderId: b.item.closeId! })), 'kill-all');
      sent.forEach((p, k) => {
        p.catch(() => {}); // awaited by its symbol; never an unhandled rejection meanwhile
        out.set(batch[k]!.item.symbol, p);
      });
    } catch (err) {
      // Nothing was written or sent: every symbol sends its own close.
      this.d.logger.warn({ err, runId: run.id }, 'kill-all: batched first closes not sent; sending one by one');
    }
    return out;
  }

  private async flattenSymbol(run: KillRun, item: KillItem, save: () => Promise<void>, fresh: boolean, early?: Promise<SubmitOutcome>): Promise<void> {
    if (item.outcome !== 'pending') return;
    try {
      for (const id of [...item.cancel]) await this.cancel(id, item.symbol);
      item.cancel = [];
      await this.close(run, item, save, fresh, early);
      if (item.external) await this.sellExternal(run, item, save);
    } catch (err) {
      item.outcome = 'failed';
      item.detail = err instanceof Error ? err.message : String(err);
      this.d.logger.error({ err, symbol: item.symbol, runId: run.id }, 'kill-all: symbol failed');
    }
    await save().catch((err: unknown) => this.d.logger.error({ err, runId: run.id }, 'kill-all: could not save progress'));
  }

  /**
   * Ours through the order manager (it accounts fills that beat the cancel); foreign orders directly.
   * A cancel of ours that leaves the order open (refused before it left, and the lookup shows it
   * open) is sent again like a rate-limited call: an order left open could fill after the run.
   */
  private async cancel(clientOrderId: string, symbol: string): Promise<void> {
    if (await this.d.store.getOrder(clientOrderId)) {
      await this.withRetryAfter(async () => {
        const status = await this.d.orders.cancel(clientOrderId);
        if (!isTerminal(status)) throw new ExecutionError('retryable', `order ${clientOrderId} is still ${status} after its cancel`);
      }, true);
    } else await this.withRetryAfter(() => this.d.execution.cancelOrder(clientOrderId, symbol), true);
  }

  /**
   * What closing `item` needs now, decided on what tradeops holds: flat (nothing, or less than a lot,
   * left) or the order to send. Throws when it may not be sent (attempts used up, a position that
   * reads the other way, a pre-flight denial). Changes nothing.
   */
  private nextClose(item: KillItem, run: KillRun): { kind: 'flat'; held: number } | { kind: 'send'; plan: OrderPlan; held: number } {
    const market = this.d.execution.market(item.symbol);
    if (!market) throw new ExecutionError('rejected', `market ${item.symbol} is not listed`);
    const max = this.d.maxAttempts ?? 6;
    const held = this.remaining(item);
    const qty = floorToStep(Math.abs(held), market.amountStep);
    if (qty <= 0 || qty < market.minAmount) return { kind: 'flat', held };
    if (item.attempts >= max) throw new Error(`still ${held} open after ${max} attempts`);
    // A close never opens the other side: a position that now reads the other way was counted wrong
    // (e.g. a fill accounted twice), and buying it "back" would be new exposure.
    if (item.quantity !== 0 && Math.sign(held) === -Math.sign(item.quantity)) {
      throw new Error(`the position reads ${held} after accounting, the other way from the ${item.quantity} planned: nothing sent (see /reconcile)`);
    }
    const side = held > 0 ? 'long' : 'short';
    const price = this.d.marks().get(item.symbol) ?? this.d.portfolio.get(item.symbol)?.entryPrice ?? Number.NaN;
    const denials = runPreflight({ kind: 'exit', side, symbol: item.symbol, quantity: qty, price, position: this.d.portfolio.get(item.symbol) ?? { symbol: item.symbol, quantity: held, entryPrice: price, realizedPnl: 0, openedAt: 0 }, market, tradingState: this.d.tradingState.get(), allowShort: true, available: 0, equity: 0, source: 'kill-all' });
    if (denials.length > 0) throw new Error(denials.map((x) => `${x.code}: ${x.message}`).join('; '));
    return { kind: 'send', held, plan: { kind: 'exit', symbol: item.symbol, side: held > 0 ? 'sell' : 'buy', positionSide: side, quantity: qty, reduceOnly: true, reason: `kill-all #${run.id}` } };
  }

  private async close(run: KillRun, item: KillItem, save: () => Promise<void>, fresh: boolean, early?: Promise<SubmitOutcome>): Promise<void> {
    // A close sent before a crash is looked up first: it may have filled. A fresh run's preset first
    // id (stored with the run) has never left: it is used as it is.
    let preset = fresh && item.closeId !== undefined && this.presetUnsent.has(item.closeId);
    if (item.closeId && !preset) await this.lookUp(item);
    let waitUntil = 0;
    while (true) {
      const next = early ? undefined : this.nextClose(item, run);
      if (next?.kind === 'flat') {
        item.outcome = item.avgPrice !== undefined ? 'closed' : 'flat';
        item.detail = item.avgPrice !== undefined ? `closed at ${item.avgPrice}` : 'nothing to close';
        if (Math.abs(next.held) > 0) item.detail += ` (dust ${Math.abs(next.held)} below the lot step left)`;
        return;
      }
      if (waitUntil > this.d.clock.now()) await this.sleep(Math.min(this.d.maxWaitMs ?? 30_000, waitUntil - this.d.clock.now()));
      if (preset) {
        preset = false;
        this.presetUnsent.delete(item.closeId!);
        item.attempts = 1;
      } else {
        item.attempts++;
        item.closeId = `ka${run.id}-${item.symbol.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}-${item.attempts}-${run.startedAt % 1e6}`;
        await save(); // the id is on disk before the request leaves
      }
      let outcome;
      try {
        // The first close of a fresh run may already be on its way (sent with the others in one batch).
        outcome = early ? await early : await this.d.orders.submit(next!.plan, 'kill-all', { clientOrderId: item.closeId });
      } finally {
        early = undefined;
      }
      if (outcome.kind === 'placed') {
        this.noteFill(outcome.report, item);
        if (outcome.report.status === 'rejected') throw new Error(outcome.report.reason ?? 'close rejected');
        continue;
      }
      if (outcome.kind === 'rejected') {
        // Refused before it left (rate-limit pause, IP ban): the venue did not take it; wait and go again with a new id.
        if (outcome.retryAt !== undefined) {
          waitUntil = outcome.retryAt;
          continue;
        }
        throw new Error(outcome.reason);
      }
      // Unknown (429, timeout): wait as told, then look the order up before anything is resent.
      waitUntil = outcome.retryAt ?? this.d.clock.now() + 500;
      await this.sleep(Math.max(0, Math.min(this.d.maxWaitMs ?? 30_000, waitUntil - this.d.clock.now())));
      await this.lookUp(item);
    }
  }

  /** Signed quantity tradeops still holds on the symbol. */
  private remaining(item: KillItem): number {
    return this.d.portfolio.get(item.symbol)?.quantity ?? 0;
  }

  /**
   * include-external: sell the base coins tradeops did not buy. They were never in the portfolio, so
   * the sell goes to the venue directly — the kill run, which holds its clientOrderId before the
   * request leaves, is its write-ahead record; it is looked up before any resend.
   */
  private async sellExternal(run: KillRun, item: KillItem, save: () => Promise<void>): Promise<void> {
    const qty = item.external ?? 0;
    item.externalId ??= `ka${run.id}-x-${item.symbol.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}-${run.startedAt % 1e6}`;
    await save();
    // The run's row is this sell's write-ahead record: the time of each send is stored before it leaves.
    const until = (): number | undefined => (item.externalSentAt === undefined ? undefined : this.d.orders.windowEndAfter(item.externalSentAt));
    let report = await this.lookUpSent(item.externalId, item.symbol, until());
    for (let attempt = 0; !report && attempt < (this.d.maxAttempts ?? 6); attempt++) {
      try {
        item.externalSentAt = this.d.clock.now();
        await save();
        report = await this.d.execution.placeOrder({ clientOrderId: item.externalId, symbol: item.symbol, side: 'sell', type: 'market', amount: qty });
      } catch (err) {
        if (!(err instanceof ExecutionError) || (err.kind !== 'unknown-outcome' && err.kind !== 'retryable')) throw err;
        await this.sleep(Math.max(0, Math.min(this.d.maxWaitMs ?? 30_000, (err.retryAt ?? this.d.clock.now() + 500) - this.d.clock.now())));
        // Refused before it left (retryable): nothing can still arrive. A lost answer: its window counts.
        report = await this.lookUpSent(item.externalId, item.symbol, err.kind === 'unknown-outcome' ? until() : undefined);
      }
    }
    if (!report || report.filled <= 0) throw new Error(`external holdings of ${qty} not sold`);
    item.detail += `; external ${report.filled} sold at ${report.avgPrice ?? '?'}`;
  }

  private async lookUp(item: KillItem): Promise<void> {
    if (!item.closeId) return;
    // The order path's request window, counted from the close's row's last send.
    const sent = await this.d.store.getOrder(item.closeId);
    const report = await this.lookUpSent(item.closeId, item.symbol, sent ? this.d.orders.inFlightUntil(sent) : undefined);
    if (report) {
      await this.d.orders.settle(report); // fills are accounted once (by trade id), however often seen
      this.noteFill(report, item);
    }
  }

  /** The order path's lookup after a lost answer (src/engine/request-window.ts), each call with the Retry-After policy. */
  private lookUpSent(clientOrderId: string, symbol: string, inFlightUntil: number | undefined): Promise<OrderReport | undefined> {
    return lookUpAfterWindow(() => this.withRetryAfter(() => this.d.execution.fetchOrder(clientOrderId, symbol), false), inFlightUntil, {
      clock: this.d.clock,
      sleep: (ms) => this.sleep(ms),
      onWait: (waitMs) => this.d.logger.info({ clientOrderId, symbol, waitMs }, 'kill-all: an order sent earlier is not at the venue yet; waiting until it can no longer arrive'),
    });
  }

  private noteFill(report: OrderReport, item: KillItem): void {
    if (report.filled > 0 && report.avgPrice !== undefined) item.avgPrice = report.avgPrice;
  }

  /** A venue call with the Retry-After policy (src/engine/venue-retry.ts). */
  private withRetryAfter<T>(fn: () => Promise<T>, notFoundOk: boolean): Promise<T | undefined> {
    return withRetryAfter(fn, { clock: this.d.clock, sleep: (ms) => this.sleep(ms), maxAttempts: this.d.maxAttempts, maxWaitMs: this.d.maxWaitMs }, notFoundOk);
  }


  private async externalOrders(): Promise<Array<{ symbol: string; clientOrderId: string }>> {
    const ours = new Set((await this.d.store.ordersByStatus([...OPEN_STATUSES])).map((o) => o.clientOrderId));
    const out: Array<{ symbol: string; clientOrderId: string }> = [];
    for (const symbol of this.d.symbols) {
      for (const o of await this.d.execution.fetchOpenOrders(symbol)) {
        if (!ours.has(o.clientOrderId) && !isTerminal(o.status)) out.push({ symbol, clientOrderId: o.clientOrderId });
      }
    }
    return out;
  }

  /** Spot: base balances beyond what tradeops holds in its traded symbols. */
  private async externalHoldings(): Promise<Array<{ symbol: string; quantity: number }>> {
    const balances = await this.d.execution.fetchBalances();
    const out: Array<{ symbol: string; quantity: number }> = [];
    for (const symbol of this.d.symbols) {
      const m = this.d.execution.market(symbol);
      if (!m || m.type !== 'spot') continue;
      const total = balances[m.base]?.total ?? 0;
      const ours = Math.max(0, this.d.portfolio.get(symbol)?.quantity ?? 0);
      const extra = floorToStep(total - ours, m.amountStep);
      if (extra >= m.minAmount && extra > 0) out.push({ symbol, quantity: extra });
    }
    return out;
  }

  private sleep(ms: number): Promise<void> {
    return (this.d.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }
}

function lineOf(i: KillItem): KillAllLine {
  const what = i.outcome === 'pending' ? `${i.quantity !== 0 ? `close ${Math.abs(i.quantity)} (${i.quantity > 0 ? 'long' : 'short'})` : 'no position'}${i.cancel.length ? `, cancel ${i.cancel.length} order(s)` : ''}` : i.detail;
  return { symbol: i.symbol, outcome: i.outcome, detail: what };
}
