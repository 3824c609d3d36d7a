// Types of charts.js (plain JavaScript so browsers run it unchanged).
export interface ChartBars {
  ts: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}
export interface ChartIndicator {
  name: string;
  pane: 'price' | 'oscillator';
  values: ArrayLike<number | null>;
}
export interface ChartTrade {
  entryTs: number;
  exitTs: number;
  entryPrice: number;
  exitPrice: number;
  side: 'long' | 'short';
  pnl: number;
  returnPct: number;
  exitReason?: string;
}
export interface ChartFill {
  ts: number;
  side: 'buy' | 'sell';
  price: number;
  amount: number;
}
export interface PriceChartData {
  bars: ChartBars;
  indicators?: ChartIndicator[];
  trades?: ChartTrade[];
  fills?: ChartFill[];
}
export interface EquityChartData {
  ts: ArrayLike<number>;
  equity: ArrayLike<number>;
  buyHold?: ArrayLike<number>;
  drawdown: ArrayLike<number>;
}
export interface MonthCell {
  month: string;
  returnPct: number;
  trades: number;
  pnl: number;
}
export interface ChartLayout {
  title?: string;
  log?: boolean;
  height?: number;
  slider?: boolean;
  maxMarkers?: number;
}
type Option = Record<string, unknown>;
export const WIN: string;
export const LOSS: string;
export const ENTRY: string;
export const MAX_MARKERS: number;
export function thinTrades<T extends ChartTrade>(trades: readonly T[], from: number, to: number, max?: number): { shown: T[]; inView: number };
export function tradeKinds(trades: readonly ChartTrade[]): Set<string>;
export function tradeSeries(shown: readonly ChartTrade[], kinds?: Set<string>): Option[];
export function priceOption(d: PriceChartData, o?: ChartLayout): Option;
export function equityOption(d: EquityChartData, o?: ChartLayout): Option;
export function monthlyHeatmapOption(months: readonly MonthCell[], o?: ChartLayout): Option;
export function mountPriceChart(echarts: unknown, el: unknown, d: PriceChartData, o?: { log?: boolean; maxMarkers?: number; status?: unknown }): unknown;
