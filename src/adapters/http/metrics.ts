import type { Hono } from 'hono';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Kernel } from '../../kernel.ts';
import type { ExchangeAccessSource } from '../../app/exchange-access.ts';

/**
 * Prometheus metrics on `GET /metrics`: engine liveness, account, trading state and a counter of
 * every domain event by type. Gauges read the kernel when scraped, so nothing runs between scrapes.
 */
export function createMetrics(kernel: Kernel, extras: { access?: ExchangeAccessSource; role?: () => 'leader' | 'standby' } = {}): { registry: Registry; mount(app: Hono): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tradeops_process_' });
  const marks = () => kernel.engine.markPrices();

  new Gauge({
    name: 'tradeops_engine_ticks',
    help: 'Engine ticks since start',
    registers: [registry],
    collect() {
      this.set(kernel.engine.ticks);
    },
  });
  new Gauge({
    name: 'tradeops_engine_last_tick_seconds',
    help: 'Unix time of the last engine tick (0 before the first)',
    registers: [registry],
    collect() {
      this.set((kernel.engine.lastTickAt ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'tradeops_equity',
    help: 'Account equity in the quote currency (cash + unrealised P&L)',
    registers: [registry],
    collect() {
      this.set(kernel.portfolio.equity(marks()));
    },
  });
  new Gauge({
    name: 'tradeops_cash',
    help: 'Account cash in the quote currency',
    registers: [registry],
    collect() {
      this.set(kernel.portfolio.cash);
    },
  });
  new Gauge({
    name: 'tradeops_open_positions',
    help: 'Open positions',
    registers: [registry],
    collect() {
      this.set(kernel.portfolio.all().length);
    },
  });
  new Gauge({
    name: 'tradeops_trading_state',
    help: 'Current trading state (1 for the active label)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = kernel.tradingState.get().state;
      for (const s of ['ACTIVE', 'REDUCING', 'HALTED']) this.set({ state: s }, s === current ? 1 : 0);
    },
  });
  const access = extras.access;
  if (access) {
    new Gauge({
      name: 'tradeops_exchange_request_latency_seconds',
      help: 'Latency of recent REST requests to the exchange (all paths), by quantile',
      labelNames: ['quantile'],
      registers: [registry],
      collect() {
        const l = access.latency();
        if (l.p50Ms !== undefined) this.set({ quantile: '0.5' }, l.p50Ms / 1000);
        if (l.p99Ms !== undefined) this.set({ quantile: '0.99' }, l.p99Ms / 1000);
      },
    });
    new Gauge({
      name: 'tradeops_exchange_access',
      help: 'Exchange request gate state (1 for the current one): ok, paused (rate limit), banned, probing',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const current = access.status().state;
        for (const s of ['ok', 'paused', 'banned', 'probing']) this.set({ state: s }, s === current ? 1 : 0);
      },
    });
  }
  const role = extras.role;
  if (role) {
    new Gauge({
      name: 'tradeops_leader',
      help: '1 when this process is the leader (trades), 0 when standby',
      registers: [registry],
      collect() {
        this.set(role() === 'leader' ? 1 : 0);
      },
    });
  }
  const events = new Counter({ name: 'tradeops_events_total', help: 'Domain events by type (entries, exits, fills, denials, …)', labelNames: ['type'], registers: [registry] });
  kernel.bus.onAny((e) => events.inc({ type: e.type }));

  return {
    registry,
    mount(app) {
      app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
    },
  };
}
