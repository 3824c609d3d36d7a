import type { RiskStore } from '../ports/risk-store.ts';
import { tradeStats, type TradeStats } from '../risk/kelly-size.ts';

/** What Kelly sizing needs of a stored backtest run. */
export interface BacktestRunStats {
  status: string;
  strategy: string;
  symbol: string;
  metrics?: Record<string, number | string | null>;
}

/** From a backtest's metrics: W = win rate, R = profit factor × (1 − W) / W. */
export function statsFromBacktest(m: Record<string, number | string | null> | undefined): TradeStats | undefined {
  const trades = Number(m?.trades ?? 0);
  const w = m?.winRatePct === null || m?.winRatePct === undefined ? undefined : Number(m.winRatePct) / 100;
  if (!(trades > 0) || w === undefined) return undefined;
  const pf = m?.profitFactor === null || m?.profitFactor === undefined ? Infinity : Number(m.profitFactor);
  const payoff = w === 0 ? 0 : w === 1 ? Infinity : (pf * (1 - w)) / w;
  return { source: 'backtest', trades, winRate: w, payoff };
}

/**
 * The trades Kelly sizing is estimated from, the same for `/size` and the engine (ORDER_SIZING=kelly):
 * the last `lookback` closed trades of the strategy on the symbol, else the latest finished backtest of
 * that strategy and symbol, else none (the fixed fallback size).
 */
export function createTradeStats(d: {
  strategy: string;
  lookback: number;
  riskStore?: RiskStore;
  /** Stored backtest runs, newest first. */
  backtests(limit: number): Promise<readonly BacktestRunStats[]>;
}): (symbol: string) => Promise<TradeStats> {
  return async (symbol) => {
    const pnls = d.riskStore ? await d.riskStore.closedTradePnls(d.strategy, symbol, d.lookback) : [];
    if (pnls.length > 0) return tradeStats(pnls, 'live');
    const run = (await d.backtests(50)).find((r) => r.status === 'done' && r.strategy === d.strategy && r.symbol === symbol);
    return statsFromBacktest(run?.metrics) ?? tradeStats([], 'none');
  };
}
