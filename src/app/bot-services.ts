import { join } from 'node:path';
import { createRiskServices } from './risk-services.ts';
import { riskWarnings } from './risk-status.ts';
import type { BotServices, HealthView, PositionView, ReconcileView, StatusView } from '../../commands/services.ts';
import type { FactorFeed } from '../ports/factors.ts';
import type { Database } from '../adapters/db/client.ts';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import type { Kernel } from '../kernel.ts';
import type { ExchangeAccessSource } from './exchange-access.ts';
import type { StrategyCatalog } from '../strategies/registry.ts';
import { periodStart, periodsBack, pnlByPeriod } from './pnl-periods.ts';
import { VERSION } from './version.ts';
import { quoteOf } from '../domain/market.ts';
import { accountCash } from '../domain/account.ts';

export interface ServiceDeps {
  config: Config;
  kernel: Kernel;
  database: Database;
  catalog: StrategyCatalog;
  startedAt: number;
  /** Real wall clock (uptime), separate from the market clock. */
  wallClock: () => number;
  backtests: BotServices['backtests'];
  /** External factors posted to /webhooks/factor (shown by /status). */
  factors?: FactorFeed;
  /** The venue's request gate (bans, rate limits, latency); absent on the simulated exchange. */
  access?: ExchangeAccessSource;
  /** This process's role among those sharing the database (default leader). */
  role?: () => 'leader' | 'standby';
  /** Reconciliation with the exchange (only the leader runs it). */
  reconcile?: () => Promise<ReconcileView>;
}

/** BotServices over the kernel and the database: what chat commands may see and do. */
export function createBotServices(d: ServiceDeps): BotServices {
  const { kernel, config } = d;
  const quote = quoteOf(config.SYMBOLS[0]!);
  let symbolCache: string[] | undefined;

  const positions = async (): Promise<PositionView[]> => {
    const marks = kernel.engine.markPrices();
    return kernel.portfolio.all().map((p) => {
      const mark = marks.get(p.symbol) ?? p.entryPrice;
      const upnl = (mark - p.entryPrice) * p.quantity;
      return {
        symbol: p.symbol,
        side: p.quantity > 0 ? 'long' : 'short',
        quantity: Math.abs(p.quantity),
        entryPrice: p.entryPrice,
        markPrice: mark,
        unrealizedPnl: upnl,
        unrealizedPnlPct: p.entryPrice > 0 ? (upnl / (p.entryPrice * Math.abs(p.quantity))) * 100 : 0,
        stopLoss: p.stopLoss,
        takeProfit: p.takeProfit,
        openedAt: p.openedAt,
      };
    });
  };

  const health = async (): Promise<HealthView> => {
    const t0 = performance.now();
    const dbOk = await d.database.ping();
    const dbLatency = performance.now() - t0;
    let exchange: HealthView['exchange'] = { id: kernel.ports.execution.exchangeId, ok: true };
    const t1 = performance.now();
    try {
      await kernel.ports.marketData.fetchPrice(config.SYMBOLS[0]!);
      exchange = { ...exchange, latencyMs: performance.now() - t1 };
    } catch (err) {
      exchange = { ...exchange, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (d.access) {
      const a = d.access.status();
      exchange = { ...exchange, access: { state: a.state, until: a.until }, requests: d.access.latency() };
      if (a.state === 'banned') exchange.ok = false;
    }
    const lastTick = kernel.engine.lastTickAt;
    return {
      version: VERSION,
      uptimeMs: d.wallClock() - d.startedAt,
      database: { kind: d.database.kind, ok: dbOk, latencyMs: dbLatency },
      marketData: { lastCandleAt: kernel.engine.lastCandleAt, stale: kernel.engine.isStale(), marketNow: kernel.ports.clock.now(), simulated: config.EXCHANGE === 'sim' },
      exchange,
      engine: { lastTickAt: lastTick, ticking: lastTick !== undefined },
      role: d.role?.(),
    };
  };

  return {
    async status(): Promise<StatusView> {
      const account = kernel.account();
      const now = kernel.ports.clock.now();
      const todayFills = await kernel.ports.store.fillsSince(periodStart(now, 'day'));
      const warnings: string[] = [];
      const ts = kernel.tradingState.get();
      if (ts.state !== 'ACTIVE') warnings.push(`trading is ${ts.state}: ${ts.reason}`);
      if (kernel.engine.isStale()) warnings.push('market data is stale');
      if (kernel.engine.lastTickAt === undefined) warnings.push('the engine has not ticked yet');
      warnings.push(...riskWarnings(kernel, kernel.ports.clock.now()));
      const access = d.access?.status();
      if (access && access.state !== 'ok') warnings.push(`exchange requests ${access.state}${access.until ? ` until ${new Date(access.until).toISOString()}` : ''}${access.reason ? `: ${access.reason}` : ''}`);
      const role = d.role?.();
      if (role === 'standby') warnings.push('standby: another process is the leader and trades; this one answers read-only commands');
      return {
        mode: config.MODE,
        exchange: config.EXCHANGE,
        strategy: config.STRATEGY,
        symbols: config.SYMBOLS,
        timeframe: config.TIMEFRAME,
        tradingState: ts,
        startedAt: d.startedAt,
        uptimeMs: d.wallClock() - d.startedAt,
        equity: account.equity,
        cash: accountCash(account),
        account,
        quoteCurrency: quote,
        todayPnl: todayFills.reduce((s, f) => s + f.realizedPnl - f.fee, 0),
        openPositions: await positions(),
        lastTickAt: kernel.engine.lastTickAt,
        lastCandleAt: kernel.engine.lastCandleAt,
        simulatedTime: config.EXCHANGE === 'sim',
        database: d.database.kind,
        warnings,
        factors: d.factors?.all().map((f) => ({ symbol: f.symbol, name: f.name, value: f.value, ts: f.ts, ageSeconds: f.ageSeconds, stale: f.stale })),
        role,
      };
    },
    positions,
    async account() {
      return kernel.account();
    },
    async balances() {
      const b = await kernel.ports.execution.fetchBalances();
      return Object.entries(b)
        .filter(([, v]) => v.total !== 0)
        .map(([asset, v]) => ({ asset, free: v.free, used: v.used, total: v.total }));
    },
    async trades(limit) {
      const fills = await kernel.ports.store.recentFills(limit);
      return fills.map((f) => ({ ts: f.ts, symbol: f.symbol, side: f.side, price: f.price, amount: f.amount, fee: f.fee, realizedPnl: f.realizedPnl, clientOrderId: f.clientOrderId }));
    },
    async pnl(period, count) {
      const now = kernel.ports.clock.now();
      const since = periodsBack(periodStart(now, period), period, count - 1);
      const [fills, snaps] = await Promise.all([kernel.ports.store.fillsSince(since), kernel.ports.store.equitySnapshots(since)]);
      return pnlByPeriod(fills, snaps, period, count, now);
    },
    async strategies() {
      return d.catalog.list().map((s) => ({
        name: s.name,
        description: s.description,
        active: s.name === config.STRATEGY,
        params: s.name === config.STRATEGY ? kernel.options.params : defaultsOf(s.params),
      }));
    },
    health,
    async symbols() {
      if (!symbolCache) symbolCache = [...(await kernel.ports.marketData.loadMarkets()).keys()].sort();
      return symbolCache;
    },
    async reconcile() {
      if (d.role?.() === 'standby') throw new AppError('UNAVAILABLE', 'this process is a standby: the leader reconciles (ask it, or wait for a takeover)');
      if (!d.reconcile) throw new AppError('UNAVAILABLE', 'reconciliation is not running in this process');
      return d.reconcile();
    },
    async setTradingState(state, reason, by) {
      if (d.role?.() === 'standby') throw new AppError('UNAVAILABLE', 'this process is a standby: change the trading state on the leader');
      if (!['ACTIVE', 'REDUCING', 'HALTED'].includes(state)) throw new AppError('BAD_REQUEST', `unknown trading state ${state}`);
      return kernel.tradingState.set(state, reason, by);
    },
    processRole: () => d.role?.() ?? 'leader',
    backtests: d.backtests,
    risk: createRiskServices({ kernel, config, backtests: d.backtests, chartsDir: join(config.dataDir, 'charts') }),
  };
}

function defaultsOf(schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }): Record<string, unknown> {
  const r = schema.safeParse({});
  return r.success ? (r.data as Record<string, unknown>) : {};
}
