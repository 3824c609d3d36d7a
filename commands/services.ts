import type { ReconcileFindings } from '../src/domain/reconcile-findings.ts';
import type { AccountSummary } from '../src/domain/account.ts';
import type { RiskServices } from './risk-services.ts';
import type { TradingState, TradingStateName } from '../src/domain/trading-state.ts';
import type { ClosedTrade } from '../src/domain/closed-trades.ts';
import type { LogSource } from '../src/ports/log-source.ts';

export type { LogSource } from '../src/ports/log-source.ts';
/** A closed trade as /trades shows it (src/domain/closed-trades.ts). */
export type ClosedTradeView = ClosedTrade;

/** Decimals of a market's prices and amounts (from its tick size and lot step). */
export interface MarketPrecision {
  price: number;
  amount: number;
}

/** One configuration variable as it is in effect; secrets are masked before they get here. */
export interface SettingView {
  name: string;
  group: string;
  value: string;
  /** The value differs from the documented default. */
  changed: boolean;
}

export interface ReloadView {
  /** `NAME: old → new` for each applied change (strategy, parameters, symbols). */
  applied: string[];
  /** Variables that changed in the environment but take effect only after a restart. */
  needRestart: string[];
}

/** The configuration in effect, and re-reading it without a restart. */
export interface SettingsAccess {
  /** Every variable, secrets masked. */
  list(): SettingView[];
  /** Re-read the environment and .env; apply STRATEGY, STRATEGY_PARAMS and SYMBOLS (AppError on bad values: nothing changes). */
  reload(by: string): Promise<ReloadView>;
}

/**
 * What command handlers may call. Handlers never touch an SDK, the database or the exchange
 * directly: the composition root (src/main.ts) implements this interface over the kernel and the
 * repositories; tests implement it over the same kernel with PGlite and the simulated exchange.
 */
export interface BotServices {
  status(): Promise<StatusView>;
  positions(): Promise<PositionView[]>;
  balances(): Promise<BalanceView[]>;
  /** The account as the venue shows it (the figures /status, /balance, /metrics and alerts share). */
  account?(): Promise<AccountSummary>;
  /** The most recent fills, newest first (`/fills`). */
  trades(limit: number): Promise<TradeView[]>;
  /** Closed round trips, newest exit first; every one when `limit` is absent (`/trades`, `/performance`). */
  closedTrades(limit?: number): Promise<ClosedTradeView[]>;
  /** Price and amount decimals per symbol (the market's precision), for formatting. */
  precision?(): Promise<ReadonlyMap<string, MarketPrecision>>;
  /** Effective settings and their reload (`/show_config`, `/reload_config`); absent where no process runs. */
  settings?: SettingsAccess;
  /** Recent log lines of this process, scrubbed (`/logs`); absent when the process keeps none. */
  logs?: LogSource;
  pnl(period: 'day' | 'week' | 'month', count: number): Promise<PnlRow[]>;
  strategies(): Promise<StrategyView[]>;
  health(): Promise<HealthView>;
  /** Symbols tradable on the configured exchange (argument validation). */
  symbols(): Promise<string[]>;
  setTradingState(state: TradingStateName, reason: string, by: string): Promise<TradingState>;
  /**
   * This process's role among the processes sharing the database (absent: it is the only one, so it
   * leads). A standby answers read-only commands; `leaderOnly` commands it refuses (commands/leader-only.ts).
   */
  processRole?(): 'leader' | 'standby';
  /** Reconcile with the exchange now (admin); never throws for venue failures (see ReconcileView). */
  reconcile(): Promise<ReconcileView>;
  /** The web dashboard's sign-in (absent when DASHBOARD=false). */
  dashboard?: DashboardAccess;
  /** Sizing, panic, manual orders, kill-all, sweep (commands/risk-services.ts); absent where no kernel runs. */
  risk?: RiskServices;
  backtests: {
    list(limit: number): Promise<BacktestRunView[]>;
    get(id: number): Promise<BacktestRunView | undefined>;
    /** Queue a run; it is stored before this returns, so a restart does not lose it. */
    enqueue(request: BacktestRequest): Promise<BacktestRunView>;
    /**
     * Called on every state/progress change of any run (queued → running with progress → done |
     * failed). Chat transports use it to edit the progress message and send the result; a run
     * finished after a restart still reaches its requester through this and the alert fan-out.
     */
    onUpdate(listener: (run: BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] }) => void): () => void;
  };
}

export interface StatusView {
  mode: 'paper' | 'live';
  exchange: string;
  strategy: string;
  symbols: string[];
  timeframe: string;
  tradingState: TradingState;
  startedAt: number;
  uptimeMs: number;
  equity: number;
  /** Spot: free quote balance (as /balance shows it); swap: wallet balance. */
  cash: number;
  quoteCurrency: string;
  /** The same figures, labelled by market type (spot: cash + holdings; swap: wallet, unrealised, margin). */
  account?: AccountSummary;
  todayPnl: number;
  openPositions: PositionView[];
  lastTickAt?: number;
  lastCandleAt?: number;
  /** The market clock is the simulated exchange's (accelerated): times of candles are simulated. */
  simulatedTime?: boolean;
  database: 'pglite' | 'postgres';
  warnings: string[];
  /** Latest external factors (POST /webhooks/factor) with their age; stale ones are ignored by strategies. */
  factors?: FactorStatusView[];
  /** Several processes on one database: only the leader trades. */
  role?: 'leader' | 'standby';
}

export interface FactorStatusView {
  symbol: string;
  name: string;
  value: number;
  ts: number;
  ageSeconds: number;
  stale: boolean;
}

export interface ReconcileView {
  ok: boolean;
  at: number;
  error?: string;
  findings?: ReconcileFindings;
}

export interface PositionView {
  symbol: string;
  side: 'long' | 'short';
  quantity: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnl: number;
  unrealizedPnlPct: number;
  stopLoss?: number;
  takeProfit?: number;
  openedAt?: number;
}

export interface BalanceView {
  asset: string;
  free: number;
  used: number;
  total: number;
}

export interface TradeView {
  ts: number;
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  amount: number;
  fee: number;
  realizedPnl: number;
  clientOrderId: string;
}

export interface PnlRow {
  periodStart: number;
  realizedPnl: number;
  fees: number;
  trades: number;
  endEquity?: number;
}

export interface StrategyView {
  name: string;
  description: string;
  active: boolean;
  params: Record<string, unknown>;
}

export interface HealthView {
  version: string;
  uptimeMs: number;
  database: { kind: 'pglite' | 'postgres'; ok: boolean; latencyMs?: number };
  /** `marketNow`: the market's clock (accelerated and labelled `simulated` on the sim), against which candle ages are measured. */
  marketData: { lastCandleAt?: number; stale: boolean; marketNow?: number; simulated?: boolean };
  exchange: {
    id: string;
    ok: boolean;
    latencyMs?: number;
    error?: string;
    /** Request gate: ok, paused (rate limit), banned, probing — with the pause's end. */
    access?: { state: 'ok' | 'paused' | 'banned' | 'probing'; until?: number };
    /** Latency of recent REST requests (all paths). */
    requests?: { count: number; p50Ms?: number; p99Ms?: number };
  };
  engine: { lastTickAt?: number; ticking: boolean };
  /** Several processes on one database: only the leader trades. */
  role?: 'leader' | 'standby';
}

export interface BacktestRequest {
  strategy: string;
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
  params: Record<string, unknown>;
  /** Run through the bot's risk layer (its configured limits, protections and panic gate). */
  risk?: boolean;
  requestedBy: { platform: string; userId: string; chatId?: string };
}

export interface BacktestRunView {
  id: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  strategy: string;
  symbol: string;
  timeframe: string;
  createdAt: number;
  progress: number;
  params: Record<string, unknown>;
  metrics?: Record<string, number | string | null>;
  summary?: string;
  chartPath?: string;
  /** Price with the run's entries and exits. */
  tradesChartPath?: string;
  /** The full report in the web dashboard (when PUBLIC_URL is set and the dashboard is on). */
  reportUrl?: string;
  error?: string;
}

/** Sign-in links for the web dashboard and their revocation. */
export interface DashboardAccess {
  /** A one-time sign-in URL for a chat user (valid 10 minutes). */
  createLink(who: { platform: string; userId: string }): Promise<{ url: string; expiresAt: number }>;
  /** End every dashboard session and unused link of the user; how many were live. */
  revokeAll(who: { platform: string; userId: string }): Promise<number>;
}
