import type { Candles } from '../../domain/candles.ts';
import { equityOption, monthlyHeatmapOption, priceOption } from '../../web/assets/charts.js';
import type { BacktestResult } from '../types.ts';
import { equityChartData, monthCells, priceChartData, wantsLogScale } from './chart-data.ts';

/** Bars in a PNG: about one per pixel column of a 1,200-pixel image. */
const PNG_BARS = 600;

/** Equity (with buy & hold) over drawdown, for the PNG (report and chat). */
export function equityChartOption(r: BacktestResult, candles?: Candles, height = 700): Record<string, unknown> {
  const d = equityChartData(r, candles, 2000);
  const log = wantsLogScale(d.equity) || (d.buyHold !== undefined && wantsLogScale(d.buyHold));
  return equityOption(d, { title: `${r.strategy} on ${r.symbol} ${r.timeframe} — equity, buy & hold and drawdown${log ? ' (log scale)' : ''}`, log, height, slider: false });
}

/** Candles, volume, indicators and every trade (thinned evenly when there are very many), for trades.png. */
export function tradesChartOption(r: BacktestResult, candles: Candles, height = 700): Record<string, unknown> {
  const d = priceChartData(r, candles, PNG_BARS);
  const log = wantsLogScale(d.bars.close);
  const shown = Math.min(r.tradeList.length, 600);
  const note = shown < r.tradeList.length ? ` (${shown} of ${r.tradeList.length} trades marked, evenly over the period)` : ` (${r.tradeList.length} trades)`;
  return priceOption(d, { title: `${r.symbol} ${r.timeframe} — price, volume and trades${note}${log ? ', log scale' : ''}`, log, height, slider: false });
}

/** The year × month returns heatmap, for the PNG. */
export function monthlyReturnsOption(r: BacktestResult): Record<string, unknown> {
  return monthlyHeatmapOption(monthCells(r), { title: `${r.strategy} on ${r.symbol} — monthly returns %` });
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
