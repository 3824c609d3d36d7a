/**
 * The figures of a backtest; every one is defined in docs/backtesting.md. `null` means "not
 * defined for this run" (no trades, no losing trade, no variation), never zero.
 */
export interface BacktestMetrics {
  /** Open time of the first candle (UTC ms). */
  start: number;
  /** Open time of the last candle (UTC ms). */
  end: number;
  /** From the open of the first candle to the close of the last (ms). */
  durationMs: number;
  exposurePct: number;
  initialEquity: number;
  finalEquity: number;
  peakEquity: number;
  returnPct: number;
  buyHoldReturnPct: number;
  cagrPct: number;
  annualReturnPct: number | null;
  annualVolatilityPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  /** Deepest fall from a running peak, in % (≤ 0). */
  maxDrawdownPct: number;
  maxDrawdownDurationMs: number;
  avgDrawdownPct: number;
  avgDrawdownDurationMs: number;
  /** Number of closed trades (positions still open at the end are closed and counted). */
  trades: number;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  profitFactor: number | null;
  /** Average net P&L per trade, quote currency. */
  expectancy: number | null;
  /** Average net return per trade, %. */
  expectancyPct: number | null;
  sqn: number | null;
  kelly: number | null;
  /** Total fees paid, quote currency. */
  fees: number;
  /** Average and longest time in a trade, entry to exit (ms); null without trades. */
  avgTradeDurationMs: number | null;
  maxTradeDurationMs: number | null;
  /** Longest runs of winning and of losing trades in a row (a break-even trade ends a run). */
  maxConsecutiveWins: number;
  maxConsecutiveLosses: number;
  /** Return periods per year used to annualise (252 daily stock, 365 crypto, 12 monthly, or the override). */
  periodsPerYear: number;
}

export interface GroupStats {
  trades: number;
  wins: number;
  winRatePct: number;
  pnl: number;
  avgReturnPct: number;
}

export interface MonthStats {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** Trades closed in the month. */
  trades: number;
  pnl: number;
  /** Equity change over the month, %. */
  returnPct: number;
  endEquity: number;
}

export interface Breakdowns {
  perPair: Record<string, GroupStats>;
  perExitReason: Record<string, GroupStats>;
  perMonth: MonthStats[];
}
