import type { Candles } from '../../domain/candles.ts';
import type { EquityChartData, MonthCell, PriceChartData } from '../../web/assets/charts.js';
import type { BacktestResult } from '../types.ts';
import { equityChartData, monthCells, priceChartData, wantsLogScale } from './chart-data.ts';
import { fmtDuration, fmtNum, summaryRows } from './summary.ts';

/** Trades listed in the HTML table (the CSV has all of them; the chart marks all of them). */
export const MAX_TABLE_TRADES = 2000;

export interface ReportTradeRow {
  n: number;
  side: string;
  entry: string;
  exit: string;
  duration: string;
  entryPrice: string;
  exitPrice: string;
  quantity: string;
  fees: string;
  pnl: string;
  returnPct: string;
  exitReason: string;
  /** 1 profit, −1 loss, 0 break-even: the row's colour. */
  sign: number;
}

/**
 * Everything report.html shows, as JSON: the dashboard's backtest page renders the same model (the
 * tables on the server, the charts in the browser through the shared chart module).
 */
export interface ReportModel {
  title: string;
  subtitle: string;
  summary: Array<[string, string]>;
  noTradeReason?: string;
  denials: Array<[string, number]>;
  price: PriceChartData;
  equity: EquityChartData;
  months: MonthCell[];
  /** Start with a log price/equity axis (the series spans more than 20×). */
  log: boolean;
  perExitReason: string[][];
  perPair: string[][];
  trades: ReportTradeRow[];
  tradeCount: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export function reportModel(r: BacktestResult, candles: Candles): ReportModel {
  const price = priceChartData(r, candles);
  const equity = equityChartData(r, candles);
  const groups = (g: BacktestResult['breakdowns']['perPair']) => Object.entries(g).map(([k, v]) => [k, String(v.trades), fmtNum(v.winRatePct), fmtNum(v.pnl), fmtNum(v.avgReturnPct)]);
  const shown = r.tradeList.slice(-MAX_TABLE_TRADES);
  const offset = r.tradeList.length - shown.length;
  return {
    title: `Backtest — ${r.strategy} on ${r.symbol} ${r.timeframe}`,
    subtitle: `${iso(r.start)} → ${iso(r.end)} UTC · ${Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'default parameters'} · fee ${fmtNum(r.options.feeRate * 100, 3)} %, slippage ${r.options.slippageBps} bps, sizing ${r.options.sizing}, fills at ${r.options.fill}`,
    summary: summaryRows(r).filter(([k]) => k !== 'Strategy' && k !== 'Market'),
    noTradeReason: r.noTradeReason,
    denials: Object.entries(r.denials).sort((a, b) => b[1] - a[1]),
    price,
    equity,
    months: monthCells(r),
    log: wantsLogScale(price.bars.close),
    perExitReason: groups(r.breakdowns.perExitReason),
    perPair: groups(r.breakdowns.perPair),
    trades: shown.map((t, i) => ({
      n: offset + i + 1,
      side: t.side,
      entry: iso(t.entryTs),
      exit: iso(t.exitTs),
      duration: fmtDuration(t.exitTs - t.entryTs),
      entryPrice: fmtNum(t.entryPrice, 4),
      exitPrice: fmtNum(t.exitPrice, 4),
      quantity: fmtNum(t.quantity, 6),
      fees: fmtNum(t.fees),
      pnl: fmtNum(t.pnl),
      returnPct: fmtNum(t.returnPct),
      exitReason: t.exitReason + (t.openAtEnd ? ' (open at end)' : ''),
      sign: Math.sign(t.pnl),
    })),
    tradeCount: r.tradeList.length,
  };
}
