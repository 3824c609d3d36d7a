import { Counter, Gauge, type Registry } from 'prom-client';
import { accountCash } from '../../domain/account.ts';
import type { Kernel } from '../../kernel.ts';
import type { ExchangeAccessSource } from '../../app/exchange-access.ts';

/** Where the scrape-time gauges read from; every source is optional so partial setups still scrape. */
export interface GaugeSources {
  kernel: Kernel;
  /** Orders per status from the store. */
  orderCounts?: () => Promise<Record<string, number>>;
  /** Undelivered alerts. */
  outbox?: () => Promise<{ depth: number; oldestCreatedAt?: number }>;
  /** The panic score (0–100) when the risk layer computes one. */
  panicScore?: () => number | undefined;
  /** Latest external factors per symbol with their age. */
  factors?: () => Array<{ symbol: string; name: string; value: number; ageSeconds: number }>;
  wallClock?: () => number;
  /** The exchange's request gate: pause/ban state and recent request latency (p50/p99). */
  access?: ExchangeAccessSource;
  /** Leader or standby among processes sharing the database. */
  role?: () => 'leader' | 'standby';
}

const STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
const ORDER_STATES = ['pending', 'submitted', 'unknown', 'open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'denied'];

/**
 * Gauges read when Prometheus scrapes, so nothing runs between scrapes: account, positions, trading
 * state, engine liveness, orders by state, outbox backlog, panic score, factors. Denials and other
 * domain events are counted as they pass on the bus.
 */
export function registerTradingGauges(registry: Registry, s: GaugeSources): void {
  const { kernel } = s;
  const r = [registry];
  const now = s.wallClock ?? Date.now;
  const marks = () => kernel.engine.markPrices();
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: r,
      collect() {
        this.set(read());
      },
    });

  gauge('tradeops_equity', 'Account equity in the quote currency (spot: cash + holdings; swap: wallet + unrealised P&L)', () => kernel.account().equity);
  gauge('tradeops_cash', 'Spot: free quote balance (as /balance shows it); swap: wallet balance', () => accountCash(kernel.account()));
  gauge('tradeops_margin_used', 'Swap: initial margin of open positions (0 on spot)', () => {
    const a = kernel.account();
    return a.marketType === 'swap' ? a.marginUsed : 0;
  });
  gauge('tradeops_margin_available', 'Swap: equity less margin used; spot: free quote balance', () => {
    const a = kernel.account();
    return a.marketType === 'swap' ? a.marginAvailable : a.cash;
  });
  gauge('tradeops_unrealized_pnl', 'Unrealised P&L of open positions at the last prices', () => kernel.portfolio.unrealizedPnl(marks()));
  gauge('tradeops_realized_pnl', 'Realised P&L (after fees) of the open positions so far', () => kernel.portfolio.all().reduce((a, p) => a + p.realizedPnl, 0));
  gauge('tradeops_open_positions', 'Open positions', () => kernel.portfolio.all().length);
  gauge('tradeops_engine_last_tick_seconds', 'Unix time of the last completed engine tick (0 before the first)', () => (kernel.engine.lastTickAt ?? 0) / 1000);
  new Gauge({
    name: 'tradeops_trading_state',
    help: 'Current trading state (1 on the active label)',
    labelNames: ['state'],
    registers: r,
    collect() {
      const current = kernel.tradingState.get().state;
      for (const st of STATES) this.set({ state: st }, st === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tradeops_panic_score',
    help: 'Panic score 0-100 (NaN until the risk layer has computed one)',
    registers: r,
    collect() {
      this.set(s.panicScore?.() ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'tradeops_orders',
    help: 'Stored orders by state',
    labelNames: ['state'],
    registers: r,
    async collect() {
      const counts = (await s.orderCounts?.().catch(() => undefined)) ?? {};
      for (const st of new Set([...ORDER_STATES, ...Object.keys(counts)])) this.set({ state: st }, counts[st] ?? 0);
    },
  });
  const outbox = async () => (await s.outbox?.().catch(() => undefined)) ?? { depth: 0 };
  new Gauge({
    name: 'tradeops_alert_outbox_depth',
    help: 'Alerts waiting for delivery',
    registers: r,
    async collect() {
      this.set((await outbox()).depth);
    },
  });
  new Gauge({
    name: 'tradeops_alert_outbox_oldest_age_seconds',
    help: 'Age of the oldest undelivered alert (0 when none waits)',
    registers: r,
    async collect() {
      const o = await outbox();
      this.set(o.oldestCreatedAt === undefined ? 0 : Math.max(0, (now() - o.oldestCreatedAt) / 1000));
    },
  });
  new Gauge({
    name: 'tradeops_factor_value',
    help: 'Latest external factor value per symbol',
    labelNames: ['symbol', 'factor'],
    registers: r,
    collect() {
      this.reset();
      for (const f of s.factors?.() ?? []) this.set({ symbol: f.symbol, factor: f.name }, f.value);
    },
  });
  new Gauge({
    name: 'tradeops_factor_age_seconds',
    help: 'Age of the latest external factor value per symbol',
    labelNames: ['symbol', 'factor'],
    registers: r,
    collect() {
      this.reset();
      for (const f of s.factors?.() ?? []) this.set({ symbol: f.symbol, factor: f.name }, f.ageSeconds);
    },
  });

  const access = s.access;
  if (access) {
    new Gauge({
      name: 'tradeops_exchange_request_latency_seconds',
      help: 'Latency of recent REST requests to the exchange (every path), by quantile',
      labelNames: ['quantile'],
      registers: r,
      collect() {
        const l = access.latency();
        if (l.p50Ms !== undefined) this.set({ quantile: '0.5' }, l.p50Ms / 1000);
        if (l.p99Ms !== undefined) this.set({ quantile: '0.99' }, l.p99Ms / 1000);
      },
    });
    new Gauge({
      name: 'tradeops_exchange_access',
      help: 'Exchange request gate (1 on the current state): ok, paused (rate limit), banned, probing',
      labelNames: ['state'],
      registers: r,
      collect() {
        const current = access.status().state;
        for (const st of ['ok', 'paused', 'banned', 'probing']) this.set({ state: st }, st === current ? 1 : 0);
      },
    });
  }
  const role = s.role;
  if (role) gauge('tradeops_leader', '1 when this process is the leader (trades), 0 when it stands by', () => (role() === 'leader' ? 1 : 0));

  const denied = new Counter({ name: 'tradeops_orders_denied_total', help: 'Order intents denied by the risk gate, by reason', labelNames: ['reason'], registers: r });
  const events = new Counter({ name: 'tradeops_events_total', help: 'Domain events by type (entries, exits, fills, denials, …)', labelNames: ['type'], registers: r });
  kernel.bus.onAny((e) => {
    events.inc({ type: e.type });
    if (e.type === 'order-denied') for (const reason of e.reasons) denied.inc({ reason: reasonCode(reason) });
  });
}

/** Denial reasons are "CODE: message" or free text; the label keeps the code so the series stay few. */
function reasonCode(reason: string): string {
  const m = /^([A-Z][A-Z0-9_]{1,40})\b/.exec(reason);
  return m ? m[1]! : 'OTHER';
}
