import type { Candles } from '../../domain/candles.ts';
import type { BacktestResult } from '../types.ts';
import { downsampleMinMax, drawdownSeries } from './downsample.ts';

/** Chart points per series: enough detail for a 1,200-pixel-wide image, small enough to render fast. */
export const CHART_POINTS = 2000;
/** At most this many trades are marked on the price chart (the most recent ones). */
export const MAX_MARKED_TRADES = 400;

const pairs = (x: number[], y: number[]) => x.map((v, i) => [v, y[i]!]);

/** Equity (top) and drawdown % (bottom) over time. */
export function equityChartOption(r: BacktestResult, points = CHART_POINTS): Record<string, unknown> {
  const eq = downsampleMinMax(r.equityTs, r.equity, points);
  const ddFull = drawdownSeries(r.equity, r.initialEquity);
  const dd = downsampleMinMax(r.equityTs, ddFull, points);
  return {
    title: { text: `${r.strategy} on ${r.symbol} ${r.timeframe} — equity and drawdown`, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: [
      { left: 70, right: 30, top: 40, height: '52%' },
      { left: 70, right: 30, top: '70%', height: '20%' },
    ],
    xAxis: [
      { type: 'time', gridIndex: 0, axisLabel: { show: false } },
      { type: 'time', gridIndex: 1 },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, scale: true, name: 'equity' },
      { type: 'value', gridIndex: 1, name: 'drawdown %', max: 0 },
    ],
    series: [
      { name: 'equity', type: 'line', showSymbol: false, xAxisIndex: 0, yAxisIndex: 0, data: pairs(eq.x, eq.y), lineStyle: { width: 1.2, color: '#2563eb' } },
      { name: 'drawdown %', type: 'line', showSymbol: false, xAxisIndex: 1, yAxisIndex: 1, data: pairs(dd.x, dd.y), areaStyle: { color: 'rgba(220,38,38,0.25)' }, lineStyle: { width: 1, color: '#dc2626' } },
    ],
  };
}

/** Close price with entry (triangle) and exit (pin) marks. */
export function tradesChartOption(r: BacktestResult, candles: Candles, points = CHART_POINTS): Record<string, unknown> {
  const px = downsampleMinMax(candles.ts, candles.close, points);
  const trades = r.tradeList.slice(-MAX_MARKED_TRADES);
  const entries = trades.map((t) => ({ value: [t.entryTs, t.entryPrice], itemStyle: { color: t.side === 'long' ? '#16a34a' : '#dc2626' }, symbolRotate: t.side === 'long' ? 0 : 180 }));
  const exits = trades.map((t) => ({ value: [t.exitTs, t.exitPrice], itemStyle: { color: t.pnl >= 0 ? '#16a34a' : '#dc2626' } }));
  const shown = trades.length < r.tradeList.length ? ` (last ${trades.length} of ${r.tradeList.length} trades)` : '';
  return {
    title: { text: `${r.symbol} ${r.timeframe} — entries and exits${shown}`, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'item' },
    legend: { top: 30, right: 30, data: ['close', 'entry', 'exit'] },
    grid: { left: 70, right: 30, top: 60, bottom: 40 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', scale: true },
    series: [
      { name: 'close', type: 'line', showSymbol: false, data: pairs(px.x, px.y), lineStyle: { width: 1, color: '#64748b' } },
      { name: 'entry', type: 'scatter', symbol: 'triangle', symbolSize: 9, itemStyle: { color: '#16a34a' }, data: entries },
      { name: 'exit', type: 'scatter', symbol: 'diamond', symbolSize: 8, itemStyle: { color: '#7c3aed' }, data: exits },
    ],
  };
}

/** Heatmap of a metric over a two-parameter sweep grid. */
export function heatmapOption(title: string, xName: string, xs: number[], yName: string, ys: number[], cells: Array<[number, number, number | null]>): Record<string, unknown> {
  const vals = cells.map((c) => c[2]).filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { position: 'top' },
    grid: { left: 80, right: 40, top: 50, bottom: 90 },
    xAxis: { type: 'category', name: xName, data: xs.map(String), splitArea: { show: true } },
    yAxis: { type: 'category', name: yName, data: ys.map(String), splitArea: { show: true } },
    visualMap: { min: vals.length ? Math.min(...vals) : 0, max: vals.length ? Math.max(...vals) : 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 10, inRange: { color: ['#b91c1c', '#fde68a', '#15803d'] } },
    series: [{ type: 'heatmap', data: cells.map(([x, y, v]) => [x, y, v === null ? '-' : Number(v.toFixed(3))]), label: { show: xs.length * ys.length <= 120, fontSize: 9 } }],
  };
}
