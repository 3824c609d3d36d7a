import type {
  BacktestRequest,
  BacktestRunView,
  BalanceView,
  BotServices,
  HealthView,
  PnlRow,
  PositionView,
  ReconcileView,
  StatusView,
  StrategyView,
  TradeView,
  ClosedTradeView,
} from '../../commands/services.ts';
import type { LogLine } from '../../src/ports/log-source.ts';
import type { RiskServices } from '../../commands/risk-services.ts';
import type { TradingState, TradingStateName } from '../../src/domain/trading-state.ts';

/**
 * BotServices over plain in-memory data, for command tests: deterministic (fixed times from
 * `now()`), no kernel, no exchange. It only stores and returns data; `calls` records every mutating
 * call so tests can prove a refused command executed nothing. The real implementation is
 * src/app/bot-services.ts over the kernel and the database.
 */
export interface FakeServices extends BotServices {
  readonly data: FakeData;
  readonly calls: {
    setTradingState: Array<{ state: TradingStateName; reason: string; by: string }>;
    enqueue: BacktestRequest[];
    /** Who asked for a configuration reload. */
    reload: string[];
  };
  /** Push a run update to the onUpdate listeners (as the backtest worker would). */
  emitBacktestUpdate(run: BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] }): void;
}

export interface FakeData {
  tradingState: TradingState;
  positions: PositionView[];
  balances: BalanceView[];
  trades: TradeView[];
  closedTrades: ClosedTradeView[];
  logs: LogLine[];
  pnl: PnlRow[];
  strategies: StrategyView[];
  symbols: string[];
  runs: BacktestRunView[];
  warnings: string[];
  exchangeOk: boolean;
  /** Mutating risk calls (/buy, /close, /killall…), in order. */
  riskCalls?: string[];
  reconcile: ReconcileView;
}

const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);

export function fakeData(): FakeData {
  return {
    tradingState: { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: T0 - 3_600_000 },
    positions: [
      { symbol: 'BTC/USDT', side: 'long', quantity: 0.05, entryPrice: 42_000, markPrice: 42_500, unrealizedPnl: 25, unrealizedPnlPct: 1.19, stopLoss: 41_000, openedAt: T0 - 7_200_000 },
    ],
    balances: [
      { asset: 'USDT', free: 7_900, used: 0, total: 7_900 },
      { asset: 'BTC', free: 0.05, used: 0, total: 0.05 },
      { asset: 'ETH', free: 0, used: 0, total: 0 },
    ],
    trades: Array.from({ length: 30 }, (_, i) => ({
      ts: T0 - i * 600_000,
      symbol: i % 2 ? 'ETH/USDT' : 'BTC/USDT',
      side: i % 3 ? ('buy' as const) : ('sell' as const),
      price: 42_000 + i,
      amount: 0.01,
      fee: 0.42,
      realizedPnl: i % 3 ? 0 : 3.5,
      clientOrderId: `t-${i}`,
    })),
    closedTrades: Array.from({ length: 12 }, (_, i) => {
      const entryPrice = i % 2 ? 2_250.5 : 42_000;
      const exitPrice = entryPrice * (i % 3 ? 1.01 : 0.995);
      const quantity = i % 2 ? 0.5 : 0.02;
      const pnl = (exitPrice - entryPrice) * quantity - 0.9;
      return {
        symbol: i % 2 ? 'ETH/USDT' : 'BTC/USDT',
        side: 'long' as const,
        entryTs: T0 - (i + 1) * 7_200_000,
        exitTs: T0 - i * 7_200_000 - 1_800_000,
        entryPrice,
        exitPrice,
        quantity,
        pnl,
        pnlPct: (pnl / (entryPrice * quantity)) * 100,
        fees: 0.9,
        exitReason: i % 3 ? 'strategy exit' : 'stop-loss',
      };
    }),
    logs: [
      { ts: T0 - 5_000, level: 'info', msg: 'tick', component: 'scheduler' },
      { ts: T0 - 4_000, level: 'warn', msg: 'exchange slow', component: 'exchange' },
      { ts: T0 - 3_000, level: 'error', msg: 'order rejected', component: 'orders', error: 'insufficient funds' },
    ],
    pnl: Array.from({ length: 7 }, (_, i) => ({ periodStart: T0 - (6 - i) * 86_400_000, realizedPnl: i * 2 - 5, fees: 1, trades: i, endEquity: 10_000 + i })),
    strategies: [
      { name: 'sma-cross', description: 'fast/slow moving average crossover', active: true, params: { fast: 10, slow: 30 } },
      { name: 'rsi-bb', description: 'RSI with Bollinger bands', active: false, params: {} },
    ],
    symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
    runs: [
      { id: 1, status: 'done', strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', createdAt: T0 - 86_400_000, progress: 1, params: {}, metrics: { returnPct: 12.5, buyHoldReturnPct: 8, maxDrawdownPct: -6.2, sharpe: 1.4, trades: 42, winRatePct: 55 } },
    ],
    warnings: [],
    exchangeOk: true,
    reconcile: { ok: true, at: T0, findings: { settled: 1, filledOffline: ['to-1'], closedOnExchange: [], externalOrders: [{ clientOrderId: 'web_1', symbol: 'BTC/USDT', side: 'buy', amount: 0.01 }], externalHoldings: [], adopted: [], mismatches: [] } },
  };
}

export function createFakeServices(now: () => number = () => T0, data: FakeData = fakeData()): FakeServices {
  const calls: FakeServices['calls'] = { setTradingState: [], enqueue: [], reload: [] };
  const listeners = new Set<(run: BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] }) => void>();
  const equity = () => data.balances.find((b) => b.asset === 'USDT')!.total + data.positions.reduce((s, p) => s + p.quantity * p.markPrice, 0);
  return {
    data,
    calls,
    async status(): Promise<StatusView> {
      return {
        mode: 'paper',
        exchange: 'sim',
        strategy: 'sma-cross',
        symbols: ['BTC/USDT'],
        timeframe: '1m',
        tradingState: { ...data.tradingState },
        startedAt: T0 - 3_600_000,
        uptimeMs: now() - (T0 - 3_600_000),
        equity: equity(),
        cash: data.balances.find((b) => b.asset === 'USDT')!.free,
        quoteCurrency: 'USDT',
        todayPnl: 12.3,
        openPositions: data.positions.map((p) => ({ ...p })),
        lastTickAt: now() - 2_000,
        lastCandleAt: now() - 60_000,
        database: 'pglite',
        warnings: [...data.warnings],
      };
    },
    async positions() {
      return data.positions.map((p) => ({ ...p }));
    },
    async balances() {
      return data.balances.map((b) => ({ ...b }));
    },
    async trades(limit) {
      return data.trades.slice(0, limit);
    },
    async closedTrades(limit) {
      return limit === undefined ? data.closedTrades.map((t) => ({ ...t })) : data.closedTrades.slice(0, limit);
    },
    async precision() {
      return new Map(data.symbols.map((s) => [s, { price: s.startsWith('BTC') ? 1 : 2, amount: 5 }]));
    },
    settings: {
      list() {
        return [
          { name: 'MODE', group: 'Trading', value: 'paper', changed: false },
          { name: 'STRATEGY', group: 'Trading', value: 'sma-cross', changed: false },
          { name: 'SYMBOLS', group: 'Trading', value: 'BTC/USDT', changed: false },
          { name: 'TELEGRAM_BOT_TOKEN', group: 'Telegram', value: '(hidden)', changed: true },
          { name: 'COMMAND_RATE_LIMIT', group: 'Chat', value: '40', changed: true },
        ];
      },
      async reload(by) {
        calls.reload.push(by);
        return { applied: ['STRATEGY_PARAMS: {"fast":10,"slow":30} → {"fast":5,"slow":30}'], needRestart: ['LOG_LEVEL'] };
      },
    },
    logs: {
      recent(n, minLevel) {
        const rank = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
        return data.logs.filter((l) => rank[l.level] >= rank[minLevel ?? 'trace']).slice(-n);
      },
    },
    async pnl(_period, count) {
      return data.pnl.slice(-count);
    },
    async strategies() {
      return data.strategies.map((s) => ({ ...s }));
    },
    async health(): Promise<HealthView> {
      return {
        version: '0.1.0-test',
        uptimeMs: 3_600_000,
        database: { kind: 'pglite', ok: true, latencyMs: 1 },
        marketData: { lastCandleAt: now() - 60_000, stale: false },
        exchange: data.exchangeOk ? { id: 'sim', ok: true, latencyMs: 3 } : { id: 'sim', ok: false, error: 'connection refused' },
        engine: { lastTickAt: now() - 2_000, ticking: true },
      };
    },
    async symbols() {
      return [...data.symbols];
    },
    async reconcile() {
      return data.reconcile;
    },
    dashboard: {
      async createLink(who) {
        return { url: `http://127.0.0.1:8080/login/${'T'.repeat(43)}?for=${who.platform}:${who.userId}`, expiresAt: now() + 600_000 };
      },
      async revokeAll() {
        return 2;
      },
    },
    async setTradingState(state, reason, by) {
      calls.setTradingState.push({ state, reason, by });
      data.tradingState = { state, reason, changedBy: by, changedAt: now() };
      return { ...data.tradingState };
    },
    risk: fakeRisk(data),
    backtests: {
      async list(limit) {
        return [...data.runs].sort((a, b) => b.id - a.id).slice(0, limit);
      },
      async get(id) {
        return data.runs.find((r) => r.id === id);
      },
      async enqueue(request) {
        calls.enqueue.push(request);
        const run: BacktestRunView = {
          id: Math.max(0, ...data.runs.map((r) => r.id)) + 1,
          status: 'queued',
          strategy: request.strategy,
          symbol: request.symbol,
          timeframe: request.timeframe,
          createdAt: now(),
          progress: 0,
          params: request.params,
        };
        data.runs.push(run);
        for (const l of listeners) l({ ...run, requestedBy: request.requestedBy });
        return { ...run };
      },
      onUpdate(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emitBacktestUpdate(run) {
      for (const l of listeners) l(run);
    },
  };
}

export const FAKE_T0 = T0;

/** Risk services over the fake data: fixed figures, every mutating call recorded in `data.riskCalls`. */
function fakeRisk(data: FakeData): RiskServices {
  const calls = (data.riskCalls ??= []);
  return {
    async size(symbol) {
      return { symbol, strategy: 'sma-cross', source: 'live', trades: 30, winRate: 0.5, payoff: 2, rawKelly: 0.25, multiplier: 0.5, realisedVolPct: 60, targetVolPct: 60, volScale: 1, maxPositionPct: 25, fraction: 0.125, quote: 1253.13, base: 0.0298, price: 42_000, equity: 10_025, quoteCurrency: 'USDT', fallback: false, capped: false, note: 'f* × 0.5 × volatility scale 1.00', sizing: 'percent' };
    },
    async panic(scope) {
      return { scope, ts: T0, score: 45, level: 'elevated', components: [{ name: 'volatility', raw: 2, unit: 'z', value: 0.67, weight: 0.2 }], threshold: 70 };
    },
    async previewOrder(o) {
      const denials = o.amount > 5000 ? [{ code: 'MAX_ORDER_NOTIONAL', message: 'too big' }] : [];
      return { symbol: o.symbol, side: o.side, kind: 'entry', type: o.limitPrice ? 'limit' : 'market', price: o.limitPrice ?? 42_000, base: o.amount / 42_000, quote: o.amount, fee: o.amount * 0.001, quoteCurrency: 'USDT', passed: denials.length ? [] : ['trading-state', 'funds'], denials };
    },
    async placeOrder(o, by) {
      calls.push(`${o.side} ${o.symbol} ${o.amount} by ${by}`);
      return { symbol: o.symbol, ok: true, detail: `filled ${o.amount / 42_000} at 42000` };
    },
    async closePreview(symbol) {
      return data.positions.filter((p) => symbol === 'all' || p.symbol === symbol).map((p) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity, markPrice: p.markPrice }));
    },
    async close(symbol, by) {
      calls.push(`close ${symbol} by ${by}`);
      return [{ symbol: symbol === 'all' ? 'BTC/USDT' : symbol, ok: true, detail: 'closed near 42500' }];
    },
    async killAllPlan() {
      return { lines: data.positions.map((p) => ({ symbol: p.symbol, quantity: p.quantity, orders: 1, external: false })) };
    },
    async killAll(by) {
      calls.push(`killall by ${by}`);
      return { started: true, runId: 1, finished: true, lines: [{ symbol: 'BTC/USDT', outcome: 'closed', detail: 'closed at 42500' }] };
    },
    async sweepPlan() {
      return { currency: 'USDT', free: 12_500, keep: 1000, maxPerDay: 5000, sweptToday: 0, amount: 5000, dryRun: true, address: 'TXYZtreasury0001', network: 'TRX' };
    },
    async sweep(by) {
      calls.push(`sweep by ${by}`);
      const plan = await this.sweepPlan();
      return { plan, status: 'dry-run', detail: 'dry run: nothing was sent (SWEEP_ENABLED=false)' };
    },
  };
}
