/**
 * Backtesting: `runBacktest` over columnar candles on the shared engine pieces, its metrics, reports,
 * sweeps, walk-forward folds and Monte Carlo. See docs/backtesting.md.
 */
export { runBacktest } from './run-backtest.ts';
export type { BacktestOptions, BacktestResult, BacktestTrade, BacktestSizing } from './types.ts';
export type { BacktestMetrics, Breakdowns, GroupStats, MonthStats } from './metrics-types.ts';
export { computeMetrics, computeBreakdowns, tradeStats } from './metrics.ts';
export { parseFeeRate, parseBps, parseBacktestSizing } from './options.ts';
