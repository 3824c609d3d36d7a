import type { Candles } from '../domain/candles.ts';
import type { MarketInfo } from '../domain/market.ts';
import type { TradingState } from '../domain/trading-state.ts';
import type { KellySettings } from '../risk/kelly-size.ts';
import type { Sizing } from '../risk/sizing.ts';
import type { BacktestRiskOptions, BacktestRiskReport } from './backtest-risk.ts';
import type { PreflightRule } from '../risk/preflight/index.ts';
import type { IndicatorSeries, StrategyDefinition, StrategyInstance } from '../strategies/strategy.ts';
import type { BacktestMetrics, Breakdowns } from './metrics-types.ts';

/** How a backtest sizes entries: the engine's sizings, plus Kelly from the trades so far. */
export type BacktestSizing = Sizing | { kind: 'kelly-auto' };

export interface BacktestOptions {
  /** Columnar candles of the traded timeframe, ascending. */
  candles: Candles;
  /** Symbol the candles belong to (default `ASSET/USDT`). */
  symbol?: string;
  /** Timeframe of `candles` (ccxt notation); inferred from the candle spacing when absent. */
  timeframe?: string;
  /** The strategy: a definition plus raw parameters (validated against its schema), or an instance. */
  strategy: StrategyDefinition<any> | { instance: StrategyInstance; name: string; warmup: number };
  params?: Record<string, unknown>;
  /** Starting quote balance (default 10,000). */
  cash?: number;
  /** Fee per fill: a fraction (0.001), or text `0.1%` / `10bps` (default 0). */
  fee?: number | string;
  /** Slippage of market fills: basis points, or text `5bps` / `0.05%` (default 0). */
  slippage?: number | string;
  /** Bid–ask spread: basis points or text; half of it is paid on every fill (default 0). */
  spread?: number | string;
  /** `next-open` (default): an order decided on candle i fills at the open of i + 1; `close`: at the close of i. */
  fill?: 'next-open' | 'close';
  /** Entry sizing (default all-in), or its text form: `all-in`, `fixed:500`, `percent:10`, `kelly`, `kelly:0.25`. */
  sizing?: BacktestSizing | string;
  /**
   * Settings of `sizing: 'kelly'` (ORDER_SIZING=kelly): before each decision the Kelly size is worked
   * out from the last `lookback` closed trades of this run, as live does from its closed trades
   * (KELLY_*, TARGET_VOLATILITY, MAX_POSITION_PCT cap, ORDER_SIZE_PCT below KELLY_MIN_TRADES).
   * Default: the configuration's defaults.
   */
  kelly?: Partial<KellySettings>;
  /**
   * The live risk layer: pre-flight limits with their memory, protections (cooldown, stop-loss guard,
   * max drawdown and daily loss → HALTED, DAILY_LOSS_FLATTEN) and the panic score per candle (gating
   * entries at `limits.panicThreshold`). Absent: structural rules only, no panic score.
   */
  risk?: BacktestRiskOptions;
  /** Lot step of the quantity (e.g. 1 for shares; default 0 = any fraction). */
  lot?: number;
  /** Minimum order value in quote currency (default 0). */
  minNotional?: number;
  /** The venue's market (lot, tick, minimums, fees) instead of `lot`/`minNotional`/`fee`: backtest under the rules paper and live trade under. */
  market?: MarketInfo;
  /** Allow short entries (margin-style account, like linear perpetuals). Default false. */
  allowShort?: boolean;
  /** Lower-timeframe candles over the same period: decide which of stop-loss and take-profit came first. */
  lowerTimeframe?: Candles;
  /** External factors per candle (aligned with `candles`), fed to the strategy as `ctx.signals`. */
  signals?: Readonly<Record<string, Float64Array>>;
  /** Pre-flight rules (default: the live chain). */
  rules?: readonly PreflightRule[];
  /** Trading state the risk gate sees (default ACTIVE): REDUCING blocks entries, HALTED every order, as live. */
  tradingState?: TradingState;
  /**
   * Keep the strategy's indicator series over every candle in `result.indicators`, for charts (the
   * reports ask for it). Default false: a strategy that prepares by ranges then holds only the chunk
   * being simulated — a sweep row or a file backtest printing JSON needs no series of a million
   * values. A strategy without `prepareRange` computes them whole anyway, and they are returned.
   */
  indicators?: boolean;
  /**
   * Keep the equity curve over every candle in `result.equity` / `result.equityTs` (default true):
   * reports and charts read it. False: the metrics and the monthly breakdown are folded in chunk by
   * chunk as before and the curve is held one chunk at a time (8 MB less per million candles); both
   * fields are then empty. A file backtest printing its metrics, and a sweep row, pass false.
   */
  equityCurve?: boolean;
  /** Candles per chunk of the loop (indicators, then the simulation, chunk by chunk). Default 4,096; tests vary it. */
  chunkSize?: number;
  /** Called with 0..1 as the run progresses (about every 1 % and at the end). */
  onProgress?: (fraction: number) => void;
  /**
   * First candle the strategy may act on (default 0). Earlier candles only warm up indicators;
   * metrics, the equity curve and buy & hold cover [tradeFrom, end). Walk-forward folds use it.
   */
  tradeFrom?: number;
  /**
   * Return periods per year for annualising (default: from the data's calendar — 252 for daily
   * bars without weekends, 365 for crypto, 12 for monthly bars; see calendar.ts).
   */
  periodsPerYear?: number;
}

export type ExitReason = string;

/** One round trip. Returns are net of both fees. */
export interface BacktestTrade {
  symbol: string;
  side: 'long' | 'short';
  entryIndex: number;
  exitIndex: number;
  entryTs: number;
  exitTs: number;
  entryPrice: number;
  exitPrice: number;
  quantity: number;
  /** Net P&L in quote currency (after entry and exit fees). */
  pnl: number;
  /** Net P&L over the entry value, in %. */
  returnPct: number;
  fees: number;
  entryReason: string;
  exitReason: ExitReason;
  /** The position was still open at the end of the data and was closed at the last price. */
  openAtEnd: boolean;
  stopLoss?: number;
  takeProfit?: number;
}

/** The fields `--json` prints, plus everything else the run knows. */
export interface BacktestResult extends BacktestMetrics {
  strategy: string;
  params: Record<string, unknown>;
  symbol: string;
  timeframe: string;
  options: {
    cash: number;
    feeRate: number;
    slippageBps: number;
    spreadBps: number;
    fill: 'next-open' | 'close';
    sizing: string;
    lot: number;
    allowShort: boolean;
    /** The Kelly settings in force with `sizing: kelly`. */
    kelly?: KellySettings;
  };
  tradeList: BacktestTrade[];
  /**
   * Equity at the close of every candle from `tradeFrom` (the last point after closing any open
   * position); empty when the run was asked not to keep it (`equityCurve: false`).
   */
  equity: Float64Array;
  /** Candle open times, the x axis of `equity` (the input's `ts` column, not a copy); empty with `equity`. */
  equityTs: Float64Array;
  breakdowns: Breakdowns;
  /** Intents refused by the pre-flight chain, by reason code. */
  denials: Record<string, number>;
  /** What the risk layer did (protections fired, a halt, the panic score and the entries it gated), with `risk`. */
  risk?: BacktestRiskReport;
  /** Why a run made no trade (no entry signal, all refused — with the reasons, data shorter than the warm-up). */
  noTradeReason?: string;
  /** The strategy's indicator series over the candles (for charts), when it exposes them. */
  indicators?: IndicatorSeries[];
  /** Wall time of the run in ms. */
  elapsedMs: number;
}
