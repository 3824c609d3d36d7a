import type { Candles } from '../../domain/candles.ts';
import type { ChartBars, ChartIndicator, ChartTrade, EquityChartData, MonthCell, PriceChartData } from '../../web/assets/charts.js';
import type { BacktestResult } from '../types.ts';
import { downsampleMinMax, drawdownSeries } from './downsample.ts';

/** Bars embedded in a chart: a million 1-minute candles become this many merged candles. */
export const MAX_CHART_BARS = 4000;
/** Points of the equity, buy & hold and drawdown lines. */
export const MAX_EQUITY_POINTS = 5000;

/**
 * Merge runs of `k` consecutive candles into one (first open, highest high, lowest low, last close,
 * summed volume) so a long run still draws as candles, not as a line; indicator values are sampled
 * at each merged candle's last row. Rows before `from` (the warm-up) are left out.
 */
export function chartBars(c: Candles, from = 0, max = MAX_CHART_BARS, indicators: readonly ChartIndicator[] = []): { bars: ChartBars; indicators: ChartIndicator[] } {
  const n = c.length - from;
  const k = Math.max(1, Math.ceil(n / max));
  const m = Math.ceil(n / k);
  const bars = { ts: new Array<number>(m), open: new Array<number>(m), high: new Array<number>(m), low: new Array<number>(m), close: new Array<number>(m), volume: new Array<number>(m) };
  const ind = indicators.map((x) => ({ name: x.name, pane: x.pane, values: new Array<number | null>(m) }));
  for (let j = 0; j < m; j++) {
    const a = from + j * k;
    const b = Math.min(c.length, a + k);
    let hi = -Infinity;
    let lo = Infinity;
    let vol = 0;
    for (let i = a; i < b; i++) {
      if (c.high[i]! > hi) hi = c.high[i]!;
      if (c.low[i]! < lo) lo = c.low[i]!;
      vol += c.volume[i]!;
    }
    bars.ts[j] = c.ts[a]!;
    bars.open[j] = c.open[a]!;
    bars.high[j] = hi;
    bars.low[j] = lo;
    bars.close[j] = c.close[b - 1]!;
    bars.volume[j] = vol;
    for (let q = 0; q < ind.length; q++) {
      const v = indicators[q]!.values[b - 1];
      ind[q]!.values[j] = v === null || v === undefined || !Number.isFinite(v) ? null : round(v);
    }
  }
  return { bars, indicators: ind };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Every trade, in the shape the chart module draws. */
export function chartTrades(r: BacktestResult): ChartTrade[] {
  return r.tradeList.map((t) => ({
    entryTs: t.entryTs,
    exitTs: t.exitTs,
    entryPrice: round(t.entryPrice),
    exitPrice: round(t.exitPrice),
    side: t.side,
    pnl: round(t.pnl),
    returnPct: round(t.returnPct),
    exitReason: t.exitReason,
  }));
}

/** Candles over the traded period (warm-up left out), the strategy's indicators and every trade. */
export function priceChartData(r: BacktestResult, candles: Candles, maxBars = MAX_CHART_BARS): PriceChartData {
  const from = Math.max(0, candles.length - r.equity.length);
  const ind = (r.indicators ?? []).map((x) => ({ name: x.name, pane: x.pane, values: x.values as ArrayLike<number> }));
  const { bars, indicators } = chartBars(candles, from, maxBars, ind);
  return { bars, indicators, trades: chartTrades(r) };
}

/**
 * Equity, buy & hold of the same starting equity (bought at the first traded close) and drawdown,
 * downsampled on the same time axis.
 */
export function equityChartData(r: BacktestResult, candles: Candles | undefined, points = MAX_EQUITY_POINTS): EquityChartData {
  const eq = downsampleMinMax(r.equityTs, r.equity, points);
  const dd = drawdownSeries(r.equity, r.initialEquity);
  const idx = new Map<number, number>();
  for (let i = 0; i < r.equityTs.length; i++) idx.set(r.equityTs[i]!, i);
  const picks = eq.x.map((t) => idx.get(t) ?? 0);
  let buyHold: number[] | undefined;
  if (candles && candles.length >= r.equity.length) {
    const from = candles.length - r.equity.length;
    const c0 = candles.close[from]!;
    if (c0 > 0) buyHold = picks.map((i) => round((r.initialEquity * candles.close[from + i]!) / c0));
  }
  return { ts: eq.x, equity: eq.y.map(round), buyHold, drawdown: picks.map((i) => round(dd[i]!)) };
}

/** The months of the run for the returns heatmap. */
export function monthCells(r: BacktestResult): MonthCell[] {
  return r.breakdowns.perMonth.map((m) => ({ month: m.month, returnPct: round(m.returnPct), trades: m.trades, pnl: round(m.pnl) }));
}

/** Use a log price/equity axis by default when the series spans more than 20× (BTC 2012–2024). */
export function wantsLogScale(values: ArrayLike<number>): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > 0 && hi / lo > 20;
}
