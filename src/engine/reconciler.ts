import type { ReconcileFindings } from '../domain/reconcile-findings.ts';
import { newClientOrderId, type OrderReport } from '../domain/orders.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { TradingStore } from '../ports/store.ts';
import type { EventBus } from './bus.ts';
import { settleReport } from './fill-processor.ts';
import { OPEN_STATUSES, type OrderManager } from './order-manager.ts';

export type { ReconcileFindings } from '../domain/reconcile-findings.ts';

export interface ReconcilerDeps {
  execution: Execution;
  store: TradingStore;
  orders: OrderManager;
  portfolio: Portfolio;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  account: string;
  symbols: readonly string[];
  /** Compare spot holdings with Σ fills (live spot accounts: the coins are the position). */
  checkHoldings: boolean;
  /** Compare the venue's swap positions with Σ fills (live swap accounts). */
  checkPositions?: boolean;
  /** Mark price per symbol (adoptions are booked at it). */
  marks: () => ReadonlyMap<string, number>;
  /** How far back to read the venue's trades on the first run (later runs: since the previous run). */
  lookbackMs?: number;
  /** Live accounts: the venue's quote balance is the truth for cash (paper accounts keep their own). */
  adoptCash: boolean;
}

const QTY_EPS = 1e-8;

/**
 * Reconciliation with the venue (nautilus_trader's startup reconciliation; freqtrade's
 * `startup_update`): the venue is the truth for orders, fills and holdings; storage and memory are
 * brought to it, and every difference is reported.
 *
 * 1. every stored order that is not final is settled from the venue (fills that happened while
 *    tradeops was down are ingested; orders the venue cancelled are marked);
 * 2. recent venue trades of tradeops' orders that storage lacks → those orders are settled again
 *    (an order stored final without its fills is repaired);
 * 3. open venue orders tradeops did not create → reported as external, never touched;
 * 4. spot holdings: less than the fills say (sold by hand) → the position is cut to the venue's
 *    figure with a booked adjustment (so position = Σ fills still holds) and an alert; more → external;
 *    live quote balance moved → cash adopted; swap positions (fetchPositions): the same rule on the
 *    signed position — smaller on the same side (closed by hand, liquidated) → adopted; larger or on
 *    the other side → the difference is an external position, never touched;
 * 5. the invariant position = Σ fills is checked per symbol; any mismatch is a critical alert.
 *
 * Running it twice in a row changes nothing the second time. Any venue failure throws: the caller
 * does not trade until a run completes.
 */
export class Reconciler {
  private since: number | undefined;
  private readonly reported = new Set<string>();

  constructor(private readonly d: ReconcilerDeps) {}

  async run(): Promise<ReconcileFindings> {
    const d = this.d;
    const started = d.clock.now();
    const f: ReconcileFindings = { settled: 0, filledOffline: [], closedOnExchange: [], externalOrders: [], externalHoldings: [], adopted: [], mismatches: [] };

    // 1. Orders not final in storage.
    const before = new Map((await d.store.ordersByStatus(OPEN_STATUSES)).filter((o) => o.exchange === d.account).map((o) => [o.clientOrderId, o]));
    for (const report of await d.orders.settleOpen()) {
      const was = before.get(report.clientOrderId);
      if (!was) continue;
      f.settled++;
      if (report.filled > was.filled + QTY_EPS) f.filledOffline.push(report.clientOrderId);
      if ((report.status === 'canceled' || report.status === 'expired') && was.status !== report.status) f.closedOnExchange.push(report.clientOrderId);
    }

    // 2. Venue trades of our orders that storage lacks (and orders stored final without fills).
    const since = this.since ?? started - (d.lookbackMs ?? 7 * 86_400_000);
    for (const symbol of d.symbols) {
      const trades = await d.execution.fetchMyTrades(symbol, since);
      const byOrder = new Map<string, number>();
      for (const t of trades) if (t.clientOrderId) byOrder.set(t.clientOrderId, (byOrder.get(t.clientOrderId) ?? 0) + t.amount);
      for (const [clientOrderId, venueQty] of byOrder) {
        const record = await d.store.getOrder(clientOrderId);
        if (!record || record.exchange !== d.account) continue;
        const stored = (await d.store.fillsOfOrder(clientOrderId)).reduce((s, x) => s + x.amount, 0);
        if (venueQty <= stored + QTY_EPS) continue;
        const report = await d.execution.fetchOrder(clientOrderId, symbol);
        if (!report) continue;
        const res = await settleReport(record, withTrades(report, trades.filter((t) => t.clientOrderId === clientOrderId)), { ...d, exchange: d.account });
        if (res.fills.length > 0) f.filledOffline.push(clientOrderId);
      }
    }

    // 3. Open orders on the venue.
    for (const symbol of d.symbols) {
      for (const o of await d.execution.fetchOpenOrders(symbol)) {
        const mine = o.clientOrderId ? await d.store.getOrder(o.clientOrderId) : undefined;
        if (!mine) f.externalOrders.push({ clientOrderId: o.clientOrderId || o.exchangeOrderId, symbol: o.symbol, side: o.side, amount: o.amount });
      }
    }

    // 4. Holdings and cash (spot: the coins are the position).
    if (d.checkHoldings) await this.checkHoldings(f);
    if (d.checkPositions) await this.checkPositions(f);

    // 5. Invariant: position = Σ fills − fees taken in the base coin (what the fills left in the account).
    const net = await d.store.netFilledQuantities(d.account);
    const positions = new Map((await d.store.positions(d.account)).map((p) => [p.symbol, p.quantity]));
    for (const symbol of new Set([...net.keys(), ...positions.keys()])) {
      const fills = (net.get(symbol)?.net ?? 0) - (net.get(symbol)?.baseFees ?? 0);
      const position = positions.get(symbol) ?? 0;
      if (Math.abs(fills - position) > QTY_EPS * Math.max(1, Math.abs(fills))) f.mismatches.push({ symbol, position, fills });
    }

    this.since = started - 60_000;
    this.announce(f);
    return f;
  }

  private async checkHoldings(f: ReconcileFindings): Promise<void> {
    const d = this.d;
    const balances = await d.execution.fetchBalances();
    const net = await d.store.netFilledQuantities(d.account);
    // Orders not final yet (a write-ahead row of a process that died, a venue still processing) may
    // explain a difference: their fills are booked when they settle, so nothing is adopted meanwhile.
    const unsettled = new Set((await d.store.ordersByStatus(OPEN_STATUSES)).filter((o) => o.exchange === d.account).map((o) => o.symbol));
    for (const symbol of d.symbols) {
      const base = symbol.split('/')[0]!;
      const held = balances[base]?.total ?? 0;
      const n = net.get(symbol);
      const expected = (n?.net ?? 0) - (n?.baseFees ?? 0);
      const step = d.execution.market(symbol)?.amountStep ?? QTY_EPS;
      const tolerance = Math.max(QTY_EPS, step / 2);
      if (held > expected + tolerance) {
        f.externalHoldings.push({ asset: base, amount: held - Math.max(0, expected) });
      } else if (held < expected - tolerance && (n?.net ?? 0) > 0 && !unsettled.has(symbol)) {
        const position = d.portfolio.get(symbol)?.quantity ?? 0;
        const cut = Math.min(expected - held, position);
        if (cut > tolerance) {
          await this.bookAdjustment(symbol, cut);
          f.adopted.push({ symbol, from: position, to: position - cut });
        }
      }
    }
    if (!d.adoptCash) return;
    // Margin-style cash = quote balance + cost basis of the positions (see Portfolio).
    const quote = d.symbols[0]!.split('/')[1]!.split(':')[0]!;
    const basis = d.portfolio.all().reduce((s, p) => s + p.quantity * p.entryPrice, 0);
    const venueCash = (balances[quote]?.total ?? 0) + basis;
    const diff = Math.abs(venueCash - d.portfolio.cash);
    if (diff > Math.max(0.01, Math.abs(d.portfolio.cash) * 1e-4)) {
      f.cashAdopted = { from: d.portfolio.cash, to: venueCash };
      d.portfolio.cash = venueCash;
      await d.store.saveCash(d.account, venueCash);
    }
  }

  /** Swap: the venue's signed positions against Σ fills, per symbol. */
  private async checkPositions(f: ReconcileFindings): Promise<void> {
    const d = this.d;
    if (!d.execution.fetchPositions) throw new Error(`${d.execution.exchangeId}: positions cannot be read from this exchange`);
    const venue = new Map((await d.execution.fetchPositions(d.symbols)).map((p) => [p.symbol, p.quantity]));
    const net = await d.store.netFilledQuantities(d.account);
    for (const symbol of d.symbols) {
      const held = venue.get(symbol) ?? 0;
      const n = net.get(symbol);
      const expected = (n?.net ?? 0) - (n?.baseFees ?? 0);
      const step = d.execution.market(symbol)?.amountStep ?? QTY_EPS;
      const tolerance = Math.max(QTY_EPS, step / 2);
      if (Math.abs(held - expected) <= tolerance) continue;
      const shrunk = expected !== 0 && Math.sign(held) !== -Math.sign(expected) && Math.abs(held) < Math.abs(expected);
      if (!shrunk) {
        (f.externalPositions ??= []).push({ symbol, quantity: held - expected });
        continue;
      }
      // Closed (partly) outside tradeops — by hand or by liquidation: adopt the venue's figure.
      const position = d.portfolio.get(symbol)?.quantity ?? 0;
      const cut = Math.min(Math.abs(expected - held), Math.abs(position));
      if (cut > tolerance && Math.sign(position) === Math.sign(expected)) {
        await this.bookAdjustment(symbol, cut, expected > 0 ? 'sell' : 'buy');
        f.adopted.push({ symbol, from: position, to: position - Math.sign(expected) * cut });
      }
    }
  }

  /** Cut a position to the venue's figure: a stored order + fill (at the mark price) so Σ fills stays true. */
  private async bookAdjustment(symbol: string, quantity: number, side: 'buy' | 'sell' = 'sell'): Promise<void> {
    const d = this.d;
    const now = d.clock.now();
    const price = d.marks().get(symbol) ?? d.portfolio.get(symbol)?.entryPrice ?? 0;
    const clientOrderId = newClientOrderId('adj', now);
    const record = { clientOrderId, exchange: d.account, mode: 'live' as const, symbol, side, type: 'market' as const, amount: quantity, reduceOnly: true, status: 'pending' as const, filled: 0, fee: 0, strategy: 'reconcile', reason: 'the exchange holds less than tradeops recorded (closed outside tradeops): adopted', createdAt: now, updatedAt: now };
    await d.store.insertOrder(record);
    const report: OrderReport = { clientOrderId, exchangeOrderId: '', symbol, side, type: 'market', status: 'filled', amount: quantity, filled: quantity, avgPrice: price, fee: 0, fills: [{ tradeId: `${clientOrderId}-1`, clientOrderId, symbol, side, price, amount: quantity, fee: 0, feeCurrency: '', ts: now }], ts: now };
    await settleReport(record, report, { ...d, exchange: d.account });
  }

  private announce(f: ReconcileFindings): void {
    const d = this.d;
    const ts = d.clock.now();
    const once = (key: string) => {
      if (this.reported.has(key)) return false;
      this.reported.add(key);
      return true;
    };
    const lines: string[] = [];
    let severity: 'info' | 'warning' | 'critical' = 'info';
    if (f.filledOffline.length) {
      severity = 'warning';
      lines.push(`filled while offline: ${f.filledOffline.join(', ')}`);
    }
    if (f.closedOnExchange.length) lines.push(`cancelled on the exchange: ${f.closedOnExchange.join(', ')}`);
    for (const a of f.adopted) {
      severity = 'warning';
      lines.push(`${a.symbol}: the exchange holds less than recorded (closed outside tradeops?) — position ${a.from} → ${a.to} adopted`);
    }
    for (const o of f.externalOrders) if (once(`order:${o.clientOrderId}`)) lines.push(`external order ${o.clientOrderId} (${o.side} ${o.amount} ${o.symbol}) left alone`);
    for (const h of f.externalHoldings) if (once(`holding:${h.asset}`)) lines.push(`external holding ${h.amount} ${h.asset} left alone`);
    for (const p of f.externalPositions ?? []) if (once(`position:${p.symbol}:${p.quantity}`)) lines.push(`external position ${p.quantity} ${p.symbol} left alone`);
    if (f.cashAdopted) {
      severity = 'warning';
      lines.push(`cash changed outside tradeops: ${f.cashAdopted.from.toFixed(2)} → ${f.cashAdopted.to.toFixed(2)} adopted from the exchange`);
    }
    for (const m of f.mismatches) {
      severity = 'critical';
      lines.push(`${m.symbol}: position ${m.position} ≠ Σ fills ${m.fills}`);
    }
    d.logger.info({ findings: f }, 'reconciliation finished');
    if (lines.length > 0) d.bus.publish({ type: 'reconciliation', ts, severity, lines });
  }
}

function withTrades(report: OrderReport, trades: OrderReport['fills']): OrderReport {
  const known = new Set(report.fills.map((x) => x.tradeId));
  return { ...report, fills: [...report.fills, ...trades.filter((t) => !known.has(t.tradeId))] };
}
