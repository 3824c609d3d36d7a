// The one chart module of tradeops: ECharts options for candles + volume + indicators + trades, the
// equity curve with buy & hold and drawdown, and the year × month returns heatmap. Plain JavaScript
// (types in charts.d.ts) so the same file runs in the browser (report.html inlines it, the dashboard
// serves it) and in Node (the PNGs of the report and of chat). No imports: ECharts is passed in.

export const WIN = '#16a34a';
export const LOSS = '#dc2626';
export const ENTRY = '#2563eb';
export const SHORT = '#f97316';
/** Legend icon for a line (a thin bar), so "winning trade" is not read as a filled box. */
const LINE_ICON = 'path://M0 4h28v2.5H0z';
const MUTED = '#64748b';
const INDICATOR_COLORS = ['#f59e0b', '#8b5cf6', '#0ea5e9', '#ec4899', '#14b8a6', '#a16207'];
/** Trade markers drawn per view; beyond it they are thinned evenly over the view, never cut at one end. */
export const MAX_MARKERS = 600;
/** Space under the last grid: its axis labels, then the zoom slider (no overlap). */
const SLIDER_HEIGHT = 22;
const AXIS_LABEL_SPACE = 28;

/** Trades overlapping [from, to], thinned to at most `max` spread evenly over the view. */
export function thinTrades(trades, from, to, max = MAX_MARKERS) {
  const inView = [];
  for (const t of trades) if (t.exitTs >= from && t.entryTs <= to) inView.push(t);
  if (inView.length <= max) return { shown: inView, inView: inView.length };
  const shown = [];
  const step = inView.length / max;
  for (let k = 0; k < max; k++) shown.push(inView[Math.floor(k * step)]);
  return { shown, inView: inView.length };
}

const fmt = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v).toFixed(d));

/** Which trade series a set of trades needs (the legend lists only what can be drawn). */
export function tradeKinds(trades) {
  const k = new Set();
  for (const t of trades) {
    k.add(t.pnl >= 0 ? 'win' : 'loss');
    k.add(t.side === 'short' ? 'entry-short' : 'entry-long');
  }
  const ids = [];
  if (k.has('win')) ids.push('trade-win', 'exit-win');
  if (k.has('loss')) ids.push('trade-loss', 'exit-loss');
  if (k.has('entry-long')) ids.push('entry-long');
  if (k.has('entry-short')) ids.push('entry-short');
  return new Set(ids);
}

/** The marker/line series for a set of trades (ids stay stable so a zoom can replace their data). */
export function tradeSeries(shown, kinds = tradeKinds(shown)) {
  return allTradeSeries(shown).filter((s) => kinds.has(s.id));
}

function allTradeSeries(shown) {
  const lines = { win: [], loss: [] };
  const entries = { long: [], short: [] };
  const exits = { win: [], loss: [] };
  for (const t of shown) {
    const key = t.pnl >= 0 ? 'win' : 'loss';
    lines[key].push({ coords: [[t.entryTs, t.entryPrice], [t.exitTs, t.exitPrice]] });
    entries[t.side === 'short' ? 'short' : 'long'].push({ value: [t.entryTs, t.entryPrice], trade: t });
    exits[key].push({ value: [t.exitTs, t.exitPrice], trade: t });
  }
  const lineStyle = (color) => ({ color, width: 1.5, type: 'dashed', opacity: 0.9 });
  const tip = (p) => {
    const t = p.data && p.data.trade;
    if (!t) return '';
    return `${t.side} ${fmt(t.entryPrice, 4)} → ${fmt(t.exitPrice, 4)}<br>P&amp;L ${fmt(t.pnl)} (${fmt(t.returnPct)} %)${t.exitReason ? `<br>${String(t.exitReason).replace(/[<>&]/g, '')}` : ''}`;
  };
  return [
    { id: 'trade-win', name: 'winning trade', type: 'lines', coordinateSystem: 'cartesian2d', xAxisIndex: 0, yAxisIndex: 0, polyline: false, lineStyle: lineStyle(WIN), data: lines.win, z: 3, silent: true },
    { id: 'trade-loss', name: 'losing trade', type: 'lines', coordinateSystem: 'cartesian2d', xAxisIndex: 0, yAxisIndex: 0, polyline: false, lineStyle: lineStyle(LOSS), data: lines.loss, z: 3, silent: true },
    { id: 'entry-long', name: 'long entry', type: 'scatter', symbol: 'triangle', symbolSize: 10, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: ENTRY, borderColor: '#fff', borderWidth: 0.5 }, data: entries.long, z: 5, tooltip: { formatter: tip } },
    { id: 'entry-short', name: 'short entry', type: 'scatter', symbol: 'triangle', symbolRotate: 180, symbolSize: 10, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: SHORT, borderColor: '#fff', borderWidth: 0.5 }, data: entries.short, z: 5, tooltip: { formatter: tip } },
    { id: 'exit-win', name: 'exit, profit', type: 'scatter', symbol: 'circle', symbolSize: 8, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: WIN, borderColor: '#fff', borderWidth: 0.5 }, data: exits.win, z: 5, tooltip: { formatter: tip } },
    { id: 'exit-loss', name: 'exit, loss', type: 'scatter', symbol: 'circle', symbolSize: 8, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: LOSS, borderColor: '#fff', borderWidth: 0.5 }, data: exits.loss, z: 5, tooltip: { formatter: tip } },
  ];
}

/**
 * Candlesticks with volume below, the strategy's indicators (over the price, or in an oscillator
 * pane) and the trades: an entry-to-exit line coloured by P&L, an entry triangle, an exit dot.
 * `d`: { bars: {ts, open, high, low, close, volume}, indicators?, trades?, title? }.
 */
export function priceOption(d, o = {}) {
  const b = d.bars;
  const oscillators = (d.indicators || []).filter((i) => i.pane === 'oscillator');
  const overlays = (d.indicators || []).filter((i) => i.pane !== 'oscillator');
  const top = o.title ? 56 : 34;
  const height = o.height || 560;
  const bottom = (o.slider === false ? 0 : SLIDER_HEIGHT + 8) + AXIS_LABEL_SPACE;
  const volH = 70;
  const oscH = oscillators.length > 0 ? 90 : 0;
  const gap = 18;
  const priceH = Math.max(120, height - top - bottom - volH - gap - (oscH ? oscH + gap : 0));
  const grids = [
    { left: 64, right: 70, top, height: priceH },
    { left: 64, right: 70, top: top + priceH + gap, height: volH },
  ];
  if (oscH) grids.push({ left: 64, right: 70, top: top + priceH + gap + volH + gap, height: oscH });
  const last = grids.length - 1;
  const xAxis = grids.map((_, i) => ({ type: 'time', gridIndex: i, axisLabel: { show: i === last, hideOverlap: true }, axisTick: { show: i === last }, splitLine: { show: false } }));
  const yAxis = [
    { type: o.log ? 'log' : 'value', gridIndex: 0, scale: true, min: padMin, max: padMax, position: 'right', splitLine: { lineStyle: { color: '#eef2f7' } }, axisLabel: { hideOverlap: true, showMinLabel: false, showMaxLabel: false } },
    { type: 'value', gridIndex: 1, position: 'right', splitNumber: 2, axisLabel: { show: false }, splitLine: { show: false } },
  ];
  if (oscH) yAxis.push({ type: 'value', gridIndex: 2, position: 'right', splitNumber: 2, scale: true, splitLine: { show: false } });
  const n = b.ts.length;
  const candles = new Array(n);
  const volume = new Array(n);
  for (let i = 0; i < n; i++) {
    candles[i] = [b.ts[i], b.open[i], b.close[i], b.low[i], b.high[i]];
    volume[i] = { value: [b.ts[i], b.volume[i]], itemStyle: { color: b.close[i] >= b.open[i] ? 'rgba(22,163,74,0.45)' : 'rgba(220,38,38,0.45)' } };
  }
  const series = [
    { id: 'candles', name: 'price', type: 'candlestick', xAxisIndex: 0, yAxisIndex: 0, data: candles, itemStyle: { color: WIN, color0: LOSS, borderColor: WIN, borderColor0: LOSS }, barMaxWidth: 14, large: n > 3000 },
    { id: 'volume', name: 'volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: volume, barMaxWidth: 14, large: n > 3000, itemStyle: { color: MUTED } },
  ];
  const legend = ['price', 'volume'];
  const line = (ind, k, axis) => ({ name: ind.name, type: 'line', xAxisIndex: axis, yAxisIndex: axis, showSymbol: false, connectNulls: false, lineStyle: { width: 1.2, color: INDICATOR_COLORS[k % INDICATOR_COLORS.length] }, itemStyle: { color: INDICATOR_COLORS[k % INDICATOR_COLORS.length] }, data: b.ts.map((t, i) => [t, finite(ind.values[i])]) });
  overlays.forEach((ind, k) => {
    series.push(line(ind, k, 0));
    legend.push(ind.name);
  });
  oscillators.forEach((ind, k) => {
    series.push(line(ind, overlays.length + k, 2));
    legend.push(ind.name);
  });
  if (d.trades && d.trades.length > 0) {
    const from = n > 0 ? b.ts[0] : 0;
    const to = n > 0 ? b.ts[n - 1] : 0;
    const ts = tradeSeries(thinTrades(d.trades, from, to, o.maxMarkers || MAX_MARKERS).shown, tradeKinds(d.trades));
    series.push(...ts);
    legend.push(...ts.map((s) => (s.type === 'lines' ? { name: s.name, icon: LINE_ICON } : s.name)));
  }
  if (d.fills && d.fills.length > 0) {
    // Live fills (dashboard): one marker per fill, buys below-pointing up, sells pointing down.
    const mk = (side) => d.fills.filter((f) => f.side === side).map((f) => ({ value: [f.ts, f.price], fill: f }));
    const tip = (p) => (p.data && p.data.fill ? `${p.data.fill.side} ${p.data.fill.amount} @ ${p.data.fill.price}` : '');
    series.push(
      { id: 'fill-buy', name: 'buy fill', type: 'scatter', symbol: 'triangle', symbolSize: 11, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: ENTRY }, data: mk('buy'), z: 5, tooltip: { formatter: tip } },
      { id: 'fill-sell', name: 'sell fill', type: 'scatter', symbol: 'triangle', symbolRotate: 180, symbolSize: 11, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: SHORT }, data: mk('sell'), z: 5, tooltip: { formatter: tip } },
    );
    legend.push('buy fill', 'sell fill');
  }
  const axes = grids.map((_, i) => i);
  return {
    animation: false,
    title: o.title ? { text: o.title, left: 10, top: 6, textStyle: { fontSize: 14 } } : undefined,
    legend: { top: o.title ? 30 : 4, left: 64, right: 70, type: 'scroll', itemGap: 18, data: legend, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, confine: true },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: grids,
    xAxis,
    yAxis,
    dataZoom: o.slider === false ? [] : [{ type: 'inside', xAxisIndex: axes }, { type: 'slider', xAxisIndex: axes, bottom: 6, height: SLIDER_HEIGHT }],
    series,
  };
}

/**
 * Equity (and buy & hold of the same starting equity) over a drawdown pane.
 * `d`: { ts, equity, buyHold?, drawdown, title? }.
 */
export function equityOption(d, o = {}) {
  const top = o.title ? 56 : 34;
  const height = o.height || 420;
  const bottom = (o.slider === false ? 0 : SLIDER_HEIGHT + 8) + AXIS_LABEL_SPACE;
  const ddH = Math.round((height - top - bottom) * 0.28);
  const eqH = height - top - bottom - ddH - 18;
  const pairs = (ys) => d.ts.map((t, i) => [t, ys[i]]);
  const series = [{ name: 'equity', type: 'line', showSymbol: false, xAxisIndex: 0, yAxisIndex: 0, data: pairs(d.equity), lineStyle: { width: 1.4, color: ENTRY }, itemStyle: { color: ENTRY } }];
  const legend = ['equity'];
  if (d.buyHold) {
    series.push({ name: 'buy & hold', type: 'line', showSymbol: false, xAxisIndex: 0, yAxisIndex: 0, data: pairs(d.buyHold), lineStyle: { width: 1.1, color: MUTED, type: 'dashed' }, itemStyle: { color: MUTED } });
    legend.push('buy & hold');
  }
  series.push({ name: 'drawdown %', type: 'line', showSymbol: false, xAxisIndex: 1, yAxisIndex: 1, data: pairs(d.drawdown), areaStyle: { color: 'rgba(220,38,38,0.25)' }, lineStyle: { width: 1, color: LOSS }, itemStyle: { color: LOSS } });
  legend.push('drawdown %');
  return {
    animation: false,
    title: o.title ? { text: o.title, left: 10, top: 6, textStyle: { fontSize: 14 } } : undefined,
    legend: { top: o.title ? 30 : 4, left: 64, itemGap: 18, data: legend, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', confine: true },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [
      { left: 64, right: 70, top, height: eqH },
      { left: 64, right: 70, top: top + eqH + 18, height: ddH },
    ],
    xAxis: [
      { type: 'time', gridIndex: 0, axisLabel: { show: false }, splitLine: { show: false } },
      { type: 'time', gridIndex: 1, axisLabel: { hideOverlap: true }, splitLine: { show: false } },
    ],
    yAxis: [
      { type: o.log ? 'log' : 'value', gridIndex: 0, scale: true, min: padMin, max: padMax, position: 'right', splitLine: { lineStyle: { color: '#eef2f7' } }, axisLabel: { showMinLabel: false, showMaxLabel: false } },
      { type: 'value', gridIndex: 1, max: 0, position: 'right', splitNumber: 2 },
    ],
    dataZoom: o.slider === false ? [] : [{ type: 'inside', xAxisIndex: [0, 1] }, { type: 'slider', xAxisIndex: [0, 1], bottom: 6, height: SLIDER_HEIGHT }],
    series,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Year × month returns (marked to market, compounded into a "Year" column). `months`: [{ month:
 * 'YYYY-MM', returnPct, trades, pnl }].
 */
export function monthlyHeatmapOption(months, o = {}) {
  const years = [...new Set(months.map((m) => m.month.slice(0, 4)))].sort();
  const cells = [];
  const yearGrowth = new Map();
  let extreme = 0;
  for (const m of months) {
    const y = years.indexOf(m.month.slice(0, 4));
    const x = Number(m.month.slice(5, 7)) - 1;
    cells.push({ value: [x, y, round2(m.returnPct)], month: m });
    yearGrowth.set(y, (yearGrowth.get(y) ?? 1) * (1 + m.returnPct / 100));
    extreme = Math.max(extreme, Math.abs(m.returnPct));
  }
  for (const [y, g] of yearGrowth) cells.push({ value: [12, y, round2((g - 1) * 100)], year: true });
  const scale = Math.max(1, Math.min(extreme, 50));
  return {
    animation: false,
    title: o.title ? { text: o.title, left: 10, top: 6, textStyle: { fontSize: 14 } } : undefined,
    tooltip: {
      formatter: (p) => {
        const m = p.data.month;
        if (!m) return `${years[p.data.value[1]]}: ${fmt(p.data.value[2])} %`;
        return `${m.month}: ${fmt(m.returnPct)} % equity change<br>${m.trades} trade(s) closed, realised P&amp;L ${fmt(m.pnl)}`;
      },
    },
    grid: { left: 56, right: 20, top: o.title ? 40 : 10, bottom: 64 },
    xAxis: { type: 'category', data: [...MONTHS, 'Year'], splitArea: { show: true }, axisTick: { show: false } },
    yAxis: { type: 'category', data: years, inverse: true, splitArea: { show: true }, axisTick: { show: false } },
    visualMap: { min: -scale, max: scale, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 160, text: [`+${fmt(scale, 0)} %`, `−${fmt(scale, 0)} %`], inRange: { color: ['#b91c1c', '#fca5a5', '#f8fafc', '#86efac', '#15803d'] } },
    series: [{ type: 'heatmap', data: cells, label: { show: years.length <= 30, fontSize: 10, formatter: (p) => fmt(p.data.value[2], 1) }, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
  };
}

/** Axis bounds just outside the data (a price axis never starts at 0 because of one series). */
function padMin(v) {
  const pad = (v.max - v.min) * 0.03;
  return v.min > 0 && v.min - pad <= 0 ? v.min * 0.97 : v.min - pad;
}
function padMax(v) {
  return v.max + (v.max - v.min) * 0.03;
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

function finite(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/**
 * Browser glue: draw the price chart in `el` and keep every trade marked as the user zooms (the
 * markers of the trades in view, thinned evenly when there are more than MAX_MARKERS). The counts
 * are written on the element (data-trades-in-view, data-markers-shown) and in `status` when given.
 */
export function mountPriceChart(echarts, el, d, o = {}) {
  const chart = echarts.init(el);
  let log = Boolean(o.log);
  const draw = () => chart.setOption(priceOption(d, { log, height: el.clientHeight || 560 }), true);
  const refresh = () => {
    const n = d.bars.ts.length;
    if (n === 0) return;
    const z = chart.getOption().dataZoom;
    const from = z && z[0] && z[0].startValue !== undefined ? z[0].startValue : d.bars.ts[0];
    const to = z && z[0] && z[0].endValue !== undefined ? z[0].endValue : d.bars.ts[n - 1];
    const t = thinTrades(d.trades || [], from, to, o.maxMarkers || MAX_MARKERS);
    if (d.trades && d.trades.length > 0) chart.setOption({ series: tradeSeries(t.shown, tradeKinds(d.trades)).map((s) => ({ id: s.id, data: s.data })) });
    el.dataset.tradesInView = String(t.inView);
    el.dataset.markersShown = String(t.shown.length);
    if (o.status) o.status.textContent = t.inView === t.shown.length ? `${t.inView} trade(s) in view, all marked` : `${t.shown.length} of ${t.inView} trades in view marked (thinned evenly) — zoom in to see each one`;
  };
  draw();
  refresh();
  chart.on('datazoom', refresh);
  return {
    chart,
    setLog(on) {
      log = on;
      const z = chart.getOption().dataZoom;
      draw();
      if (z && z[0]) chart.dispatchAction({ type: 'dataZoom', startValue: z[0].startValue, endValue: z[0].endValue });
      refresh();
    },
    update(next) {
      d = next;
      draw();
      refresh();
    },
  };
}
