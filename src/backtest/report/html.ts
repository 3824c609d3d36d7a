import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Candles } from '../../domain/candles.ts';
import type { BacktestResult } from '../types.ts';
import { equityChartOption, tradesChartOption } from './chart-options.ts';
import { fmtNum, summaryRows } from './summary.ts';

/** Trades listed in the HTML table (the CSV has all of them). */
const MAX_TABLE_TRADES = 2000;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside a <script> must not be able to close it. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * report.html: one self-contained file (ECharts inlined, data embedded, no network) with the summary,
 * interactive equity/drawdown and price/trade charts (zoom, tooltips), breakdown tables and the trades.
 */
export async function reportHtml(r: BacktestResult, candles: Candles): Promise<string> {
  const require = createRequire(import.meta.url);
  const echartsJs = await readFile(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const zoom = { dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 0 }] };
  const eqOpt = { ...equityChartOption(r, 5000), dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }, { type: 'slider', xAxisIndex: [0, 1], bottom: 0 }] };
  const trOpt = { ...tradesChartOption(r, candles, 5000), ...zoom };
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const b = r.breakdowns;
  const groupRows = (g: typeof b.perPair) => Object.entries(g).map(([k, v]) => [k, String(v.trades), fmtNum(v.winRatePct), fmtNum(v.pnl), fmtNum(v.avgReturnPct)]);
  const trades = r.tradeList.slice(-MAX_TABLE_TRADES);
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backtest — ${esc(r.strategy)} ${esc(r.symbol)} ${esc(r.timeframe)}</title>
<style>
body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:24px;color:#0f172a;background:#f8fafc}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;background:#fff}th,td{border:1px solid #e2e8f0;padding:4px 8px;text-align:right}
th{background:#f1f5f9}td:first-child,th:first-child{text-align:left}
.chart{width:100%;height:460px;background:#fff;border:1px solid #e2e8f0}
.grid{display:flex;gap:24px;flex-wrap:wrap}
</style></head><body>
<h1>Backtest — ${esc(r.strategy)} on ${esc(r.symbol)} ${esc(r.timeframe)}</h1>
${table(['Metric', 'Value'], summaryRows(r).map(([k, v]) => [k, v]))}
<h2>Equity and drawdown</h2><div id="equity" class="chart"></div>
<h2>Price, entries and exits</h2><div id="trades" class="chart"></div>
<div class="grid">
<div><h2>Per pair</h2>${table(['Pair', 'Trades', 'Win %', 'P&L', 'Avg %'], groupRows(b.perPair))}</div>
<div><h2>Per exit reason</h2>${table(['Reason', 'Trades', 'Win %', 'P&L', 'Avg %'], groupRows(b.perExitReason))}</div>
<div><h2>Per month</h2>${table(['Month', 'Trades', 'P&L', 'Return %', 'End equity'], b.perMonth.map((m) => [m.month, String(m.trades), fmtNum(m.pnl), fmtNum(m.returnPct), fmtNum(m.endEquity)]))}</div>
</div>
<h2>Trades${trades.length < r.tradeList.length ? ` (last ${trades.length} of ${r.tradeList.length}; all in trades.csv)` : ''}</h2>
${table(
  ['Side', 'Entry', 'Exit', 'Entry price', 'Exit price', 'Quantity', 'P&L', 'Return %', 'Exit reason'],
  trades.map((t) => [t.side, iso(t.entryTs), iso(t.exitTs), fmtNum(t.entryPrice, 4), fmtNum(t.exitPrice, 4), fmtNum(t.quantity, 6), fmtNum(t.pnl), fmtNum(t.returnPct), t.exitReason + (t.openAtEnd ? ' (open at end)' : '')]),
)}
<script>${echartsJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>
(function(){
  var eq = echarts.init(document.getElementById('equity'));
  eq.setOption(${scriptJson(eqOpt)});
  var tr = echarts.init(document.getElementById('trades'));
  tr.setOption(${scriptJson(trOpt)});
  window.addEventListener('resize', function(){ eq.resize(); tr.resize(); });
})();
</script>
</body></html>
`;
}
