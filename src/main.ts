import type { Hono } from 'hono';
import { openDatabase, type Database } from './adapters/db/client.ts';
import { migrate, migrationsUpToDate } from './adapters/db/migrate.ts';
import { DrizzleTradingStore } from './adapters/db/repositories/drizzle-trading-store.ts';
import { DrizzleRiskStore } from './adapters/db/repositories/drizzle-risk-store.ts';
import { kellySettingsFrom, riskSettingsFrom } from './app/risk-settings.ts';
import { createTradeStats } from './app/kelly-stats.ts';
import { BacktestRunsRepository, toBacktestRunView } from './adapters/db/repositories/backtest-runs.ts';
import { startHttpServer, type HttpServer } from './adapters/http/server.ts';
import { createPrometheusMetrics } from './adapters/metrics/prometheus.ts';
import { registerTradingGauges } from './adapters/metrics/trading-gauges.ts';
import { mountMetricsRoute } from './adapters/http/routes/metrics-route.ts';
import { instrumentExchange } from './adapters/metrics/instrument-exchange.ts';
import { checkBeforeStart } from './app/start-checks.ts';
import { buildFactorBook, buildSignals } from './app/build-signals.ts';
import { createHeartbeat } from './app/heartbeat.ts';
import { createSerial } from './engine/serial.ts';
import { parseSignalSources } from './signals/sources.ts';
import { orderCountsByStatus, outboxBacklog } from './adapters/db/repositories/ops-counts.ts';
import { hardeningOptions } from './app/http-options.ts';
import { createDashboard } from './adapters/http/dashboard/dashboard.ts';
import { createDashboardAccess, createWebSessions } from './adapters/http/dashboard/sessions.ts';
import { createBotServices } from './app/bot-services.ts';
import { accountExchangeId, buildExchange, type ExchangeBundle } from './app/build-exchange.ts';
import { loadSimMarketState, simMarketStateSaver } from './app/sim-market-state.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import { buildChat, type ChatRuntime } from './app/build-chat.ts';
import { buildBacktests, type BacktestRuntime } from './app/build-backtests.ts';
import { lateJobQueue, startLate, type LateStart } from './app/late-job-queue.ts';
import { buildLiveFeeds } from './app/build-live-feeds.ts';
import { scheduleDailySummary } from './app/daily-summary.ts';
import type { Config } from './config.ts';
import { parseSizing } from './risk/sizing.ts';
import { timeframeToMs as durationMs } from './domain/timeframe.ts';
import { createTickScheduler, type TickSchedule, type TickScheduler } from './engine/scheduler.ts';
import { createEventBus, createKernel, type Kernel } from './kernel.ts';
import { CHAT_PLATFORMS } from './chat-platforms.ts';
import { createLogger, registerSecrets, type Logger } from './logger.ts';
import { LogRing } from './log-ring.ts';
import { createSettingsAccess } from './app/settings.ts';
import { parseStrategyParams } from './strategies/registry.ts';
import { quoteOf } from './domain/market.ts';
import { lockDataDir, openLeaderLock } from './adapters/db/leader-lock.ts';
import { watchExchangeAccess } from './app/exchange-access.ts';
import { createLeadership, type Leadership } from './app/leadership.ts';
import { ReconcileService } from './app/reconciliation.ts';
import { Reconciler } from './engine/reconciler.ts';
import type { TradingStore } from './ports/store.ts';

import type { AppIo } from './app/app-io.ts';
export type { AppIo };

export interface App {
  readonly config: Config;
  readonly kernel: Kernel;
  readonly database: Database;
  readonly http: HttpServer;
  readonly logger: Logger;
  readonly readyLine: string;
  stop(reason?: string): Promise<void>;
}

/** Secrets that must never appear in any output; registered with the logger's scrubber at start. */
export function secretValues(c: Config): Array<string | undefined> {
  const dbPassword = c.DATABASE_URL ? decodeURIComponent(new URL(c.DATABASE_URL).password) || undefined : undefined;
  const sourceSecrets = c.SIGNAL_SOURCES ? safeSourceSecrets(c.SIGNAL_SOURCES) : [];
  return [c.EXCHANGE_API_KEY, c.EXCHANGE_API_SECRET, c.EXCHANGE_API_PASSWORD, ...CHAT_PLATFORMS.flatMap((p) => p.secrets(c)), dbPassword, c.METRICS_TOKEN, c.SIGNAL_SECRET, c.HEARTBEAT_URL, c.DISCORD_WEBHOOK_URL, ...sourceSecrets];
}

function safeSourceSecrets(json: string): string[] {
  try {
    return parseSignalSources(undefined, json, 1).map((s) => s.secret);
  } catch {
    return [];
  }
}

/**
 * Default tick: every 10 s on a real exchange; on the simulated exchange every second, or once per
 * simulated candle when SIM_SPEED closes more than one per second (at most every 50 ms) — so the
 * accelerated market is not mistaken for a gap by the catch-up rule.
 */
export function tickSchedule(c: Config): TickSchedule {
  if (c.TICK_CRON) return c.TICK_CRON;
  if (c.EXCHANGE !== 'sim') return '*/10 * * * * *';
  return c.SIM_SPEED > 1 ? { everyMs: Math.max(MIN_SIM_TICK_MS, Math.floor(1000 / c.SIM_SPEED)) } : '* * * * * *';
}

const MIN_SIM_TICK_MS = 50;
/** A job queue that did not open after the ready line is tried again this often. */
const LATE_RETRY_MS = 5_000;

/**
 * The composition root: the only place that picks and builds adapters. Order matters for a clean
 * shutdown — everything started here is stopped in reverse in `stop()`.
 */
export async function startApp(config: Config, io: AppIo, given?: Logger, logRing?: LogRing): Promise<App> {
  // The logger keeps its recent lines in memory for /logs (a logger given by a caller feeds the ring it brings).
  const ring = logRing ?? (given ? undefined : new LogRing());
  const logger = given ?? createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, ring });
  /** The start and stop sequence's own lines (components get their own child loggers). */
  const appLog = logger.child({ component: 'app' });
  registerSecrets(secretValues(config));
  const wallClock = () => Date.now();
  const startedAt = wallClock();
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        appLog.error({ err }, 'shutdown step failed');
      }
    }
    cleanups.length = 0;
  };

  try {
    // Every configuration check runs before anything touches the database (`tradeops config` runs the same).
    const checked = await checkBeforeStart(config);
    for (const warning of checked.warnings) appLog.warn(warning);
    const metrics = createPrometheusMetrics();
    // PGlite: one process per data directory (a clear error instead of a corrupted database).
    if (!config.DATABASE_URL && config.dataDir !== 'memory://') {
      const dirLock = lockDataDir(config.dataDir);
      cleanups.push(async () => dirLock.release());
    }
    const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir, logger });
    cleanups.push(() => database.close());
    // PostgreSQL: several processes may share it; the one holding this lock trades (see leadership.ts).
    const leaderLock = config.DATABASE_URL ? await openLeaderLock(config.DATABASE_URL) : undefined;
    const m = await migrate(database);
    appLog.info({ applied: m.applied, total: m.total, database: database.kind }, 'database ready');

    const catalog = checked.catalog;
    const strategy = catalog.get(config.STRATEGY);
    const params = parseStrategyParams(strategy, config.STRATEGY_PARAMS);

    // Market time comes from the exchange (accelerated on the sim); the store stamps rows with it.
    let marketClock: Clock = systemClock;
    const store = new DrizzleTradingStore(database.db, () => marketClock.now());
    const accountId = accountExchangeId(config);
    const storedCash = await store.cash(accountId);
    const paperAccount = config.MODE === 'paper' && storedCash !== undefined ? { cash: storedCash, positions: await store.positions(accountId) } : undefined;
    // The simulated market continues where it stopped (same price path, same market time).
    const resume = config.EXCHANGE === 'sim' ? await loadSimMarketState(store) : undefined;
    const built: ExchangeBundle = await buildExchange(config, logger, paperAccount, resume);
    // Every exchange call timed and its failures counted by kind (tradeops_exchange_*).
    const exchange: ExchangeBundle = { ...built, marketData: instrumentExchange(built.marketData, metrics), execution: instrumentExchange(built.execution, metrics) };
    cleanups.push(() => exchange.close());
    const simMarket = exchange.simMarket ? simMarketStateSaver(store, () => exchange.simMarket!.state()) : undefined;
    if (simMarket) {
      if (resume && !exchange.simMarket!.resumed) appLog.warn({ stored: resume }, 'stored simulated market was made with other SIM_SEED/TIMEFRAME/SIM_DATA: starting a new one');
      await simMarket.save();
      cleanups.push(() => simMarket.save());
    }
    marketClock = exchange.clock;
    await exchange.marketData.loadMarkets();
    const bus = createEventBus(logger);
    // Real venues: candles arrive through live feeds (websocket or timed polling) and are stored.
    const feeds = config.EXCHANGE === 'sim' ? undefined : await buildLiveFeeds({ config, marketData: exchange.marketData, database, publish: (e) => bus.publish(e), now: () => marketClock.now(), logger });
    if (feeds) cleanups.push(() => feeds.stop());
    // Paper starts from PAPER_CASH; live starts from what the account really holds in the quote currency.
    const quote = quoteOf(config.SYMBOLS[0]!);
    const initialCash = config.MODE === 'live' ? ((await exchange.execution.fetchBalances())[quote]?.total ?? 0) : config.PAPER_CASH;
    // External factors (POST /webhooks/factor), kept in the database: strategies and the panic score read them.
    const factors = await buildFactorBook(config, database, (e) => bus.publish(e), logger);
    const riskStore = new DrizzleRiskStore(database.db);
    // Kelly sizing (/size and ORDER_SIZING=kelly): the strategy's closed trades, else its latest backtest.
    const backtestRuns = new BacktestRunsRepository(database.db);
    const tradeStats = createTradeStats({ strategy: strategy.name, lookback: config.KELLY_LOOKBACK, riskStore, backtests: async (n) => (await backtestRuns.list(n)).map(toBacktestRunView) });
    const kernel = await createKernel(
      { marketData: feeds?.marketData ?? exchange.marketData, execution: exchange.execution, clock: exchange.clock, store, logger, bus, riskStore, factors, tradeStats },
      {
        mode: config.MODE,
        strategy,
        params,
        symbols: config.SYMBOLS,
        timeframe: config.TIMEFRAME,
        sizing: parseSizing(`percent:${config.ORDER_SIZE_PCT}`),
        kelly: config.ORDER_SIZING === 'kelly' ? kellySettingsFrom(config) : undefined,
        allowShort: config.EXCHANGE_MARKET === 'swap',
        initialCash,
        orderPolicy: { lookupDelayMs: config.ORDER_LOOKUP_DELAY_MS, requestWindowMs: config.ORDER_REQUEST_WINDOW_MS },
        limitPolicy: { timeoutMs: config.ORDER_TIMEOUT * 1000, maxRequotes: config.MAX_REQUOTES, maxChasePct: config.MAX_PRICE_CHASE },
        maxSignalAgeMs: config.MAX_SIGNAL_AGE ? durationMs(config.MAX_SIGNAL_AGE) : undefined,
        simulatedTime: config.EXCHANGE === 'sim',
        allInSlippage: config.EXCHANGE === 'sim' ? config.SIM_SLIPPAGE_BPS / 10_000 : undefined,
        marketType: config.EXCHANGE_MARKET,
        leverage: config.MAX_LEVERAGE,
        risk: riskSettingsFrom(config),
      },
    );
    // Until leadership and a first reconciliation say otherwise, nothing is sent.
    kernel.orders.hold('standby', 'this process is not the leader');
    const reconciler = new Reconciler({
      execution: exchange.execution,
      store,
      orders: kernel.orders,
      portfolio: kernel.portfolio,
      bus: kernel.bus,
      clock: exchange.clock,
      logger: logger.child({ component: 'reconcile' }),
      account: accountId,
      symbols: config.SYMBOLS,
      checkHoldings: config.MODE === 'live' && config.EXCHANGE_MARKET === 'spot',
      checkPositions: config.MODE === 'live' && config.EXCHANGE_MARKET === 'swap',
      adoptCash: config.MODE === 'live' && config.EXCHANGE_MARKET === 'spot',
      marks: () => kernel.engine.markPrices(),
    });
    const reconcile = new ReconcileService({ reconciler, orders: kernel.orders, bus: kernel.bus, logger: logger.child({ component: 'reconcile' }), intervalMs: config.RECONCILE_INTERVAL * 1000, now: wallClock });
    if (exchange.access) watchExchangeAccess({ access: exchange.access, bus: kernel.bus, tradingState: kernel.tradingState, logger: logger.child({ component: 'exchange' }), now: wallClock });

    feeds?.start();

    // Backtest jobs (chat backtests, sweeps, walk-forward folds) on the database job queue: every
    // process, leader or standby, works it with JOB_WORKERS threads; `tradeops worker` only does that.
    // The queue opens after the ready line (src/app/late-job-queue.ts): until then a backtest waits for it.
    // A quarter of SHUTDOWN_TIMEOUT for jobs in hand at SIGTERM: what does not finish is retried by another worker.
    const jobs = lateJobQueue(database.kind, async () => (await import('./adapters/queue/pg-boss-queue.ts')).openPgBossQueue({ database, url: config.DATABASE_URL, logger: logger.child({ component: 'jobs' }), stopTimeoutMs: Math.max(1_000, config.SHUTDOWN_TIMEOUT * 250) }));
    const backtests: BacktestRuntime = await buildBacktests({ config, database, catalog, exchange, bus: kernel.bus, queue: jobs.queue, logger, metrics });
    cleanups.push(() => backtests.stop());
    // Runs before backtests.stop(): jobs in hand finish (or are left to another worker) first.
    cleanups.push(() => jobs.queue.stop());
    // And before that: no opening of the queue from now on (one in progress finishes first).
    let late: LateStart | undefined;
    cleanups.push(async () => late?.stop());

    let leadership: Leadership | undefined;
    const role = () => leadership?.role() ?? 'standby';
    // Web dashboard sign-in links: created from chat (/dashboard), redeemed by the dashboard routes.
    let httpUrl = '';
    const webSessions = config.DASHBOARD ? createWebSessions({ db: database.db }) : undefined;
    const dashboardAccess = webSessions ? createDashboardAccess(webSessions, () => config.PUBLIC_URL ?? httpUrl) : undefined;
    // One decision at a time: the tick, orders arriving from outside it (signals) and reloads share this.
    const serial = createSerial();
    const settings = createSettingsAccess({ config, kernel, catalog, serial, logger });
    const services = {
      ...createBotServices({ config, kernel, database, catalog, startedAt, wallClock, backtests: backtests.service, factors, access: exchange.access, role, reconcile: () => reconcile.runNow(), settings, logs: ring }),
      dashboard: dashboardAccess,
    };
    const chat: ChatRuntime = await buildChat({ config, services, database, bus: kernel.bus, logger, io, metrics });
    cleanups.push(() => chat.stop());

    registerTradingGauges(metrics.registry, { kernel, orderCounts: () => orderCountsByStatus(database.db), outbox: () => outboxBacklog(database.db), access: exchange.access, role, panicScores: () => { const p = kernel.risk.panic.latest('portfolio'); return p ? { portfolio: p.score } : ({} as Record<string, number>); }, riskDenials: () => kernel.risk.gate.denialCounts(), factors: () => factors.all() });
    const heartbeat = createHeartbeat({ maxSilenceMs: config.HEARTBEAT_MAX_SILENCE * 1000, url: config.HEARTBEAT_URL, startedAt, now: wallClock, publish: (e) => kernel.bus.publish(e), logger: logger.child({ component: 'heartbeat' }) });
    const signals = buildSignals({ config, database, kernel, serial, factors, metrics, logger });
    // A tick trades only while orders are accepted (leader, reconciled, not shutting down); the
    // simulated market's position is stored after every tick (a restart continues from it).
    const scheduler: TickScheduler = createTickScheduler(tickSchedule(config), () => serial.run(async () => {
      if (!kernel.orders.isAccepting) return;
      await kernel.engine.tick();
      await simMarket?.maybeSave();
    }), logger.child({ component: 'scheduler' }), (t) => {
      metrics.tick(t.durationMs / 1000, t.lagMs / 1000, t.ok);
      heartbeat.tick(t.ok);
    });
    const http = await startHttpServer({
      host: config.HTTP_HOST,
      port: config.HTTP_PORT,
      logger: logger.child({ component: 'http' }),
      readiness: [
        { name: 'database', check: () => database.ping() },
        { name: 'migrations', check: () => migrationsUpToDate(database) },
        { name: 'engine', check: async () => kernel.engine.lastTickAt !== undefined && scheduler.running },
      ],
      hardening: hardeningOptions(config, metrics, logger.child({ component: 'http' })),
      mount: [
        (app: Hono) => chat.mount(app),
        (app: Hono) => mountMetricsRoute(app, { registry: metrics.registry, token: config.METRICS_TOKEN }),
        (app, hardening) => signals.mount(app, hardening),
        (app: Hono) => {
          if (webSessions) createDashboard({ sessions: webSessions, router: chat.router, users: chat.users, bus: kernel.bus, logger, baseUrl: () => config.PUBLIC_URL ?? httpUrl, services, kernel, database, commands: chat.router.commands, wallClock }).mount(app);
        },
      ],
      healthz: () => ({ role: role() }),
    });
    httpUrl = http.url;
    cleanups.push(() => http.close());

    let chatStarted = false;
    const summary = scheduleDailySummary(kernel, database, logger.child({ component: 'daily-summary' }));
    cleanups.push(() => summary.stop());
    leadership = createLeadership({
      lock: leaderLock,
      intervalMs: config.LEADER_CHECK_INTERVAL * 1000,
      logger: logger.child({ component: 'leadership' }),
      bus: kernel.bus,
      now: wallClock,
      async onLead() {
        // The previous leader may have traded: start from what is stored, then from the exchange.
        await reloadAccount(kernel, store, accountId);
        kernel.orders.release('standby');
        const first = await reconcile.runNow();
        if (!first.ok) appLog.error({ error: first.error }, 'first reconciliation failed: no orders until a retry succeeds');
        reconcile.start();
        scheduler.start();
        heartbeat.start();
        // Signals accepted before a restart (still within their lag) are processed by the leader.
        await signals.start();
        if (!chatStarted) {
          // Telegram long polling allows one receiver, and the alert outbox one sender: the leader.
          chatStarted = true;
          kernel.bus.publish({ type: 'startup', ts: wallClock(), mode: config.MODE, exchange: config.EXCHANGE, strategy: config.STRATEGY, symbols: config.SYMBOLS });
          await chat.startLeader();
        }
        // A kill-all a killed process left halfway goes on now: orders are released, channels listen.
        if (kernel.risk.killAll) void kernel.risk.killAll.resumePending().catch((err: unknown) => appLog.error({ err }, 'resuming the kill-all failed'));
      },
      async onLose() {
        kernel.orders.hold('standby', 'this process lost the leader lock');
        reconcile.stop();
        await scheduler.stop();
        await heartbeat.stop();
        if (chatStarted) {
          chatStarted = false;
          await chat.stopLeader();
        }
      },
    });
    cleanups.push(async () => {
      await leadership?.stop();
    });
    cleanups.push(async () => {
      await scheduler.stop();
      await heartbeat.stop();
      await signals.stop();
      kernel.bus.publish({ type: 'shutdown', ts: wallClock(), reason: 'stopped' });
      await kernel.bus.drain();
    });
    // Runs first on shutdown: no new order from now on; requests in flight finish or are stored unknown.
    cleanups.push(async () => {
      kernel.orders.hold('shutdown', 'shutting down');
      reconcile.stop();
      const drained = await kernel.orders.drain((config.SHUTDOWN_TIMEOUT * 1000) / 2);
      if (!drained) appLog.warn({ unknown: await kernel.orders.markInFlightUnknown() }, 'order requests still in flight at shutdown: stored as unknown');
    });
    // Webhook platforms and the console answer in every process: a standby serves read-only commands
    // (trading ones answer that this process is a standby: commands/leader-only.ts).
    await chat.startShared();
    await leadership.start();
    // Optional work, after the ready line: the job queue, then this process's backtest runner and workers.
    late = startLate(jobs.open, () => backtests.start(), {
      retryMs: LATE_RETRY_MS,
      onError: (err, stage) => appLog.error({ err }, stage === 'open' ? `the job queue did not open: backtests wait for it; trying again in ${LATE_RETRY_MS / 1000} s` : 'the backtest runner did not start'),
    });

    const readyLine =
      `tradeops ready: mode=${config.MODE} exchange=${config.EXCHANGE}${config.EXCHANGE === 'sim' ? '' : `(${config.EXCHANGE_MARKET})`} ` +
      `database=${database.kind}(${database.location}) strategy=${config.STRATEGY} symbols=${config.SYMBOLS.join(',')} ` +
      `timeframe=${config.TIMEFRAME} http=${http.url} chat=${chat.platforms.join(',') || 'none'} role=${role()}`;

    let stopping: Promise<void> | undefined;
    return {
      config,
      kernel,
      database,
      http,
      logger,
      readyLine,
      stop(reason = 'stopped') {
        stopping ??= (async () => {
          appLog.info({ reason }, 'shutting down');
          await cleanup();
          appLog.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Bring memory to what is stored (a standby taking over: the previous leader traded meanwhile). */
async function reloadAccount(kernel: Kernel, store: TradingStore, account: string): Promise<void> {
  const cash = await store.cash(account);
  if (cash !== undefined) kernel.portfolio.cash = cash;
  const stored = await store.positions(account);
  for (const p of kernel.portfolio.all()) if (!stored.some((s) => s.symbol === p.symbol)) kernel.portfolio.restore({ ...p, quantity: 0 });
  for (const p of stored) kernel.portfolio.restore(p);
}
