import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Candles } from '../../domain/candles.ts';
import type { BacktestResult } from '../types.ts';
import { type ReportModel, reportModel } from './report-model.ts';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside a <script> must not be able to close it. */
export const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const ASSETS = new URL('../../web/assets/', import.meta.url);

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/**
 * The body of a backtest report: summary, the chart containers (drawn in the browser by
 * report-view.js from the model's JSON), the monthly heatmap, breakdowns and trades. Shared by
 * report.html and the dashboard's backtest page.
 */
export function reportBodyHtml(m: ReportModel): string {
  const half = Math.ceil(m.summary.length / 2);
  const summary = (rows: Array<[string, string]>) => table(['Metric', 'Value'], rows.map(([k, v]) => [k, v]), 'summary');
  const trades = m.trades
    .map(
      (t) =>
        `<tr class="${t.sign > 0 ? 'win' : t.sign < 0 ? 'loss' : ''}"><td>${t.n}</td><td>${esc(t.side)}</td><td>${esc(t.entry)}</td><td>${esc(t.exit)}</td><td>${esc(t.duration)}</td><td>${esc(t.entryPrice)}</td><td>${esc(t.exitPrice)}</td><td>${esc(t.quantity)}</td><td>${esc(t.fees)}</td><td>${esc(t.pnl)}</td><td>${esc(t.returnPct)}</td><td class="text">${esc(t.exitReason)}</td></tr>`,
    )
    .join('');
  const why = m.noTradeReason
    ? `<p class="notice" role="status">${esc(m.noTradeReason)}${m.denials.length > 0 ? `<br>Refused by the pre-flight checks: ${esc(m.denials.map(([k, v]) => `${k} ×${v}`).join(', '))}` : ''}</p>`
    : m.denials.length > 0
      ? `<p class="muted">Intents refused by the pre-flight checks: ${esc(m.denials.map(([k, v]) => `${k} ×${v}`).join(', '))}</p>`
      : '';
  return `<header class="report-head"><h1>${esc(m.title)}</h1><p class="muted">${esc(m.subtitle)}</p></header>
${why}
<section class="summary-grid">${summary(m.summary.slice(0, half))}${summary(m.summary.slice(half))}</section>
<div class="chart-controls"><label><input type="checkbox" id="log-scale"${m.log ? ' checked' : ''}> Log scale</label><span id="marker-status" class="muted"></span></div>
<h2>Price, volume, indicators and trades</h2>
<div id="price-chart" class="chart chart-tall" data-trades="${m.tradeCount}"></div>
<h2>Equity, buy &amp; hold and drawdown</h2>
<div id="equity-chart" class="chart"></div>
<h2>Monthly returns % <span class="muted small">(equity change each month, marked to market; the Year column compounds them)</span></h2>
<div id="month-heatmap" class="chart" data-years="${new Set(m.months.map((x) => x.month.slice(0, 4))).size}"></div>
<div class="grid2">
<div><h2>Per exit reason</h2>${table(['Reason', 'Trades', 'Win %', 'P&L', 'Avg %'], m.perExitReason)}</div>
<div><h2>Per pair</h2>${table(['Pair', 'Trades', 'Win %', 'P&L', 'Avg %'], m.perPair)}</div>
</div>
<h2>Trades${m.trades.length < m.tradeCount ? ` (last ${m.trades.length} of ${m.tradeCount}; all in trades.csv)` : ` (${m.tradeCount})`}</h2>
<div class="scroll"><table class="trades"><thead><tr><th>#</th><th>Side</th><th>Entry (UTC)</th><th>Exit (UTC)</th><th>Duration</th><th>Entry price</th><th>Exit price</th><th>Quantity</th><th>Fees</th><th>P&amp;L</th><th>Return %</th><th>Exit reason</th></tr></thead><tbody>${trades}</tbody></table></div>`;
}

/** The chart module and the report view, made into one inline module script (report.html has no server). */
export async function inlineReportScripts(): Promise<{ echarts: string; css: string; module: string }> {
  const require = createRequire(import.meta.url);
  const [echarts, charts, view, css] = await Promise.all([
    readFile(require.resolve('echarts/dist/echarts.min.js'), 'utf8'),
    readFile(new URL('charts.js', ASSETS), 'utf8'),
    readFile(new URL('report-view.js', ASSETS), 'utf8'),
    readFile(new URL('tradeops.css', ASSETS), 'utf8'),
  ]);
  const module = `${charts}\n${view.replace(/^import .*$/m, '')}`;
  const safe = (s: string) => s.replace(/<\/script/gi, '<\\/script');
  return { echarts: safe(echarts), css, module: safe(module) };
}

/**
 * report.html: one self-contained file (ECharts and the chart module inlined, data embedded, no
 * network): interactive candles with every trade, equity against buy & hold, monthly heatmap, tables.
 */
export async function reportHtml(r: BacktestResult, candles: Candles, model: ReportModel = reportModel(r, candles)): Promise<string> {
  const s = await inlineReportScripts();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(model.title)}</title>
<style>${s.css}</style></head><body class="report">
${reportBodyHtml(model)}
<script type="application/json" id="report-data">${scriptJson(model)}</script>
<script>${s.echarts}</script>
<script type="module">${s.module}</script>
</body></html>
`;
}
