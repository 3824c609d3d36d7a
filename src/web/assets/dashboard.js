import { equityOption, mountPriceChart } from './charts.js';

// The dashboard in the browser: fills each page from the JSON API, follows server-sent events, and
// sends controls through POST /api/command (the same command core as chat) with the CSRF token.
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const ec = globalThis.echarts;
const main = document.querySelector('main');
const pageName = main.dataset.page;
const $ = (id) => document.getElementById(id);
const fmt = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const time = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '—');
/** A market time, labelled when it is the simulated exchange's accelerated clock. */
const marketTime = (ms, simulated) => `${time(ms)}${simulated && ms ? ' (simulated market time)' : ''}`;
const cls = (v) => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  return e;
}

function table(columns, rows, empty = 'none') {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows.map((r) => h('tr', r.attrs || {}, ...r.cells.map((c) => (c instanceof Node ? h('td', {}, c) : h('td', typeof c === 'object' && c !== null ? { class: c.class } : {}, typeof c === 'object' && c !== null ? c.text : c)))))));
}

async function api(path) {
  const r = await fetch(path, { credentials: 'same-origin' });
  if (r.status === 401) {
    location.reload();
    throw new Error('signed out');
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

async function send(payload) {
  const r = await fetch('/api/command', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(payload) });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body.reply;
}

const replyText = (reply) => (reply ? [reply.title, ...(reply.text || [])].filter(Boolean).join('\n') : 'no answer');

/** Ask before acting: the dialog says what will happen; resolves true on Confirm. */
function ask(title, text, okLabel = 'Confirm') {
  const dlg = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').replaceChildren(...String(text).split('\n').map((l) => h('p', {}, l)));
  $('confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    const done = (v) => {
      $('confirm-ok').onclick = null;
      $('confirm-cancel').onclick = null;
      dlg.close();
      resolve(v);
    };
    $('confirm-ok').onclick = () => done(true);
    $('confirm-cancel').onclick = () => done(false);
    dlg.showModal();
  });
}

/**
 * Run a control. Commands the core confirms (stop, kill-all, close) answer with a code first: the
 * dialog shows the core's own "what will happen" and Confirm sends `/confirm CODE`. Commands without
 * a confirmation step are described from their help text before they are sent.
 */
async function control(cmd, options, status) {
  try {
    if (!cmd.confirm) {
      if (!(await ask(`/${cmd.name}?`, cmd.description))) return;
      status(replyText(await send({ command: cmd.name, options })));
      return;
    }
    const first = await send({ command: cmd.name, options });
    const ok = first && (first.buttons || []).find((b) => b.command.startsWith('/confirm '));
    const cancel = first && (first.buttons || []).find((b) => b.command.startsWith('/cancel '));
    if (!ok) return status(replyText(first));
    const text = (first.text || []).filter((l) => !l.startsWith('Valid for')).join('\n');
    if (await ask(first.title || `/${cmd.name}?`, text)) status(replyText(await send({ text: ok.command })));
    else if (cancel) status(replyText(await send({ text: cancel.command })));
  } catch (err) {
    status(`error: ${err.message}`);
  }
}

const RANK = { viewer: 0, trader: 1, admin: 2 };
let me;
const allowed = (cmd) => cmd && RANK[me.role] >= RANK[cmd.role];

/** A 0–100 gauge, green to red, for the panic score. */
function gaugeOption(score) {
  return {
    series: [{ type: 'gauge', min: 0, max: 100, radius: '95%', progress: { show: true, width: 10 }, axisLine: { lineStyle: { width: 10, color: [[0.4, '#16a34a'], [0.6, '#f59e0b'], [0.8, '#ea580c'], [1, '#dc2626']] } }, splitLine: { length: 6 }, axisLabel: { fontSize: 9, distance: 14 }, pointer: { width: 4 }, detail: { fontSize: 18, offsetCenter: [0, '65%'], formatter: (v) => v.toFixed(0) }, data: [{ value: Math.round(score * 10) / 10 }] }],
  };
}

async function overview() {
  const statusLine = h('p', { id: 'control-status', role: 'status', class: 'muted' });
  const eqEl = $('equity-chart');
  const chart = ec.init(eqEl);
  let pending;
  const render = async () => {
    const o = await api('/api/overview');
    $('mode').textContent = `${o.mode} · ${o.exchange}`;
    $('state').textContent = o.tradingState.state;
    $('state').className = `value state-${o.tradingState.state}`;
    $('state-why').textContent = `${o.tradingState.reason} (by ${o.tradingState.changedBy}, ${time(o.tradingState.changedAt)})`;
    $('equity').textContent = `${fmt(o.equity)} ${o.quote}`;
    $('today').textContent = fmt(o.todayPnl);
    $('today').className = `value ${cls(o.todayPnl)}`;
    if (o.panic.available) {
      $('panic').textContent = `${o.panic.level} · ${marketTime(o.panic.ts, o.simulatedTime)}`;
      const g = $('panic-gauge');
      g.hidden = false;
      (ec.getInstanceByDom(g) || ec.init(g)).setOption(gaugeOption(o.panic.score));
    } else $('panic').textContent = `not available: ${o.panic.why}`;
    const ts = o.equityCurve.map((p) => p[0]);
    const eq = o.equityCurve.map((p) => p[1]);
    let peak = -Infinity;
    const dd = eq.map((v) => ((peak = Math.max(peak, v)), peak > 0 ? (v / peak - 1) * 100 : 0));
    chart.setOption(equityOption({ ts, equity: eq, drawdown: dd }, { height: eqEl.clientHeight || 420 }), true);
    eqEl.dataset.points = String(eq.length);
    const closeCmd = me.commands.find((c) => c.name === 'close');
    $('positions').replaceChildren(
      table(
        ['Symbol', 'Side', 'Quantity', 'Entry', 'Mark', 'Unrealised P&L', '%', ''],
        o.positions.map((p) => ({
          attrs: { 'data-symbol': p.symbol },
          cells: [p.symbol, p.side, fmt(p.quantity, 6), fmt(p.entryPrice, 4), fmt(p.markPrice, 4), { text: fmt(p.unrealizedPnl), class: cls(p.unrealizedPnl) }, { text: fmt(p.unrealizedPnlPct), class: cls(p.unrealizedPnl) }, allowed(closeCmd) ? h('button', { onclick: () => control(closeCmd, { target: p.symbol }, say), 'data-close': p.symbol }, 'Close') : closeCmd ? '' : h('span', { class: 'muted small' }, 'close: not available')],
        })),
        'no open position',
      ),
    );
    $('orders').replaceChildren(table(['Symbol', 'Side', 'Type', 'Amount', 'Filled', 'Price', 'Status', 'Created'], o.orders.map((x) => ({ cells: [x.symbol, x.side, x.type, fmt(x.amount, 6), fmt(x.filled, 6), fmt(x.price, 4), x.status, marketTime(x.createdAt, o.simulatedTime)] })), 'no open order'));
    $('alerts').replaceChildren(...(o.alerts.length ? o.alerts.map((a) => h('li', { class: a.level === 'info' ? '' : 'neg' }, `${marketTime(a.ts, o.simulatedTime)} — ${a.text}`)) : [h('li', { class: 'muted' }, 'nothing since the bot started')]));
    main.dataset.loaded = String(Date.now());
  };
  const say = (t) => {
    statusLine.textContent = t;
    render();
  };
  const buttons = ['pause', 'resume', 'stop', 'killall'].map((name) => {
    const cmd = me.commands.find((c) => c.name === name);
    if (!cmd) return name === 'killall' ? h('span', { class: 'muted small', id: 'killall-missing' }, 'kill-all: not available in this build') : undefined;
    if (!allowed(cmd)) return undefined;
    const label = { pause: 'Pause', resume: 'Resume', stop: 'Stop', killall: 'Kill all' }[name];
    return h('button', { id: `btn-${name}`, class: name === 'stop' || name === 'killall' ? 'danger' : '', onclick: () => control(cmd, name === 'killall' ? {} : { reason: 'from the dashboard' }, say) }, label);
  });
  $('controls').replaceChildren(...buttons.filter(Boolean), statusLine);
  await render();
  const es = new EventSource('/api/events');
  es.addEventListener('hello', () => ($('live').textContent = 'live'));
  es.addEventListener('update', () => {
    clearTimeout(pending);
    pending = setTimeout(render, 250);
  });
  es.addEventListener('signed-out', () => location.reload());
  es.onerror = () => ($('live').textContent = 'reconnecting…');
  window.addEventListener('resize', () => chart.resize());
}

async function market() {
  const o = await api('/api/overview');
  const sel = $('symbol');
  sel.replaceChildren(...o.symbols.map((s) => h('option', { value: s }, s)));
  const params = new URLSearchParams(location.search);
  sel.value = params.get('symbol') || o.symbols[0];
  $('timeframe').value = params.get('timeframe') || o.timeframe;
  let mounted;
  const load = async () => {
    $('market-error').textContent = '';
    try {
      const m = await api(`/api/market?symbol=${encodeURIComponent(sel.value)}&timeframe=${encodeURIComponent($('timeframe').value)}`);
      const d = { bars: m.bars, indicators: m.indicators, fills: m.fills, trades: [] };
      if (mounted) mounted.update(d);
      else mounted = mountPriceChart(ec, $('price-chart'), d, { log: $('log-scale').checked });
      $('marker-status').textContent = `${m.fills.length} fill(s) marked`;
    } catch (err) {
      $('market-error').textContent = err.message;
    }
  };
  $('market-form').addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', `?symbol=${encodeURIComponent(sel.value)}&timeframe=${encodeURIComponent($('timeframe').value)}`);
    load();
  });
  $('log-scale').addEventListener('change', () => mounted && mounted.setLog($('log-scale').checked));
  await load();
  window.addEventListener('resize', () => mounted && mounted.chart.resize());
}

async function backtests() {
  const render = async () => {
    const b = await api('/api/backtests');
    if ($('bt-strategy').options.length === 0) {
      $('bt-strategy').replaceChildren(...b.strategies.map((s) => h('option', { value: s.name }, s.name)));
      $('bt-symbol').value = b.symbols[0] || '';
    }
    $('runs').replaceChildren(
      table(
        ['#', 'Status', 'Strategy', 'Market', 'Created', 'Return %', 'Trades', 'Report'],
        b.runs.map((r) => ({
          attrs: { 'data-run': r.id },
          cells: [r.id, r.status === 'running' ? `running ${Math.round(r.progress * 100)} %` : r.status, r.strategy, `${r.symbol} ${r.timeframe}`, time(r.createdAt), r.metrics ? { text: fmt(Number(r.metrics.returnPct)), class: cls(Number(r.metrics.returnPct)) } : '—', r.metrics ? String(r.metrics.trades) : '—', r.status === 'done' ? h('a', { href: `/backtests/${r.id}` }, 'open') : r.error || ''],
        })),
        'no run yet',
      ),
    );
  };
  $('backtest-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const options = { strategy: f.get('strategy'), symbol: f.get('symbol'), timeframe: f.get('timeframe') };
    if (f.get('from')) options.from = f.get('from');
    if (f.get('to')) options.to = f.get('to');
    const params = {};
    for (const kv of String(f.get('params') || '').split(/\s+/).filter(Boolean)) {
      const i = kv.indexOf('=');
      if (i > 0) params[kv.slice(0, i)] = kv.slice(i + 1);
      else params[kv] = '';
    }
    if (Object.keys(params).length) options.params = params;
    try {
      const reply = await send({ command: 'backtest', options });
      $('backtest-result').textContent = replyText(reply);
      $('backtest-result').className = reply && reply.tone === 'error' ? 'error' : 'muted';
    } catch (err) {
      $('backtest-result').textContent = `error: ${err.message}`;
    }
    render();
  });
  await render();
  const es = new EventSource('/api/events');
  es.addEventListener('backtest', () => render());
}

async function risk() {
  const r = await api('/api/risk');
  $('risk-state').textContent = r.tradingState.state;
  $('risk-state').className = `value state-${r.tradingState.state}`;
  $('risk-why').textContent = r.tradingState.reason;
  const k = r.kelly;
  if (k.available) {
    const f3 = (x) => (x === null || x === undefined ? '—' : fmt(x, 3));
    $('kelly').replaceChildren(
      h('div', { class: 'value', id: 'kelly-size' }, `${fmt(k.base, 6)} ${k.symbol.split('/')[0]} · ${fmt(k.quote)} ${k.quoteCurrency} (${fmt(k.fraction * 100)}%)`),
      table(['Input', 'Value'], [
        ['strategy', k.strategy], ['trades (source)', `${k.trades} (${k.source})`], ['win rate W', f3(k.winRate)], ['payoff R', f3(k.payoff)], ['f*', f3(k.rawKelly)],
        ['KELLY_FRACTION', fmt(k.multiplier)], ['realised vol % (yr)', k.realisedVolPct === undefined ? '—' : fmt(k.realisedVolPct, 1)], ['TARGET_VOLATILITY %', fmt(k.targetVolPct, 1)],
        ['vol scale', fmt(k.volScale)], ['MAX_POSITION_PCT', `${k.maxPositionPct}%${k.capped ? ' (capped)' : ''}`], ['equity', `${fmt(k.equity)} ${k.quoteCurrency}`], ['price', fmt(k.price, 4)],
      ].map((cells) => ({ cells }))),
      h('p', { class: 'muted small' }, `${k.note} · ORDER_SIZING=${k.sizing}`),
    );
  } else $('kelly').textContent = `not available: ${k.why}`;
  if (r.panic.available) {
    const last = r.panic.history[r.panic.history.length - 1];
    $('risk-panic').textContent = `${last.score.toFixed(1)} (${last.level}) at ${marketTime(last.ts, r.simulatedTime)}`;
    const chart = ec.init($('panic-history'));
    chart.setOption({ tooltip: { trigger: 'axis' }, grid: { left: 50, right: 30, top: 20, bottom: 40 }, xAxis: { type: 'time' }, yAxis: { type: 'value', min: 0, max: 100 }, series: [{ name: 'panic score', type: 'line', showSymbol: false, data: r.panic.history.map((p) => [p.ts, p.score]), areaStyle: { opacity: 0.15 } }] });
    // The risk layer records components as [{name, raw, unit, value, weight}]; older rows as {name: value}.
    const comps = Array.isArray(last.components)
      ? last.components.map((c) => ({ cells: [c.name, `${fmt(c.raw, 3)} ${c.unit}`, fmt(c.value, 3), fmt(c.weight)] }))
      : Object.entries(last.components).map(([k, v]) => ({ cells: [k, typeof v === 'number' ? fmt(v, 3) : JSON.stringify(v), '—', '—'] }));
    $('panic-components').replaceChildren(table(['Component', 'Raw', 'Value', 'Weight'], comps));
  } else {
    $('risk-panic').textContent = `not available: ${r.panic.why}`;
    $('panic-history').style.height = 'auto';
    $('panic-history').replaceChildren(h('p', { class: 'muted' }, `No history: ${r.panic.why}.`));
  }
  const pr = r.protections;
  $('protections').replaceChildren(
    h('ul', { id: 'protections-configured' }, ...(pr.configured.length ? pr.configured.map((l) => h('li', {}, l)) : [h('li', { class: 'muted' }, 'no protection switched on (COOLDOWN_MINUTES, STOPLOSS_GUARD, MAX_DRAWDOWN_PCT, DAILY_LOSS_PCT are 0)')])),
    h('ul', { id: 'protections-active' }, ...(pr.active.length ? pr.active.map((l) => h('li', { class: 'neg' }, l)) : [h('li', { class: 'muted' }, 'nothing in force now: no lock, no trigger today')])),
  );
  $('denials').replaceChildren(table(['Time', 'Symbol', 'Strategy', 'Intent', 'Reasons'], r.denials.map((x) => ({ cells: [marketTime(x.ts, r.simulatedTime), x.symbol, x.strategy, JSON.stringify(x.intent), (x.reasons || []).map((y) => (typeof y === 'string' ? y : y.code || JSON.stringify(y))).join(', ')] })), 'no denial recorded'));
}

async function audit() {
  const form = $('audit-form');
  const load = async () => {
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, String(v));
    const a = await api(`/api/audit?${q}`);
    $('audit').replaceChildren(table(['Time', 'Platform', 'User', 'Role', 'Command', 'Decision', 'Result'], a.rows.map((r) => ({ cells: [time(r.ts), r.platform, r.userId, r.role || '—', r.command, r.decision, r.result || ''] })), 'no matching entry'));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  await load();
}

(async () => {
  me = await api('/api/me');
  await { overview, market, backtests, risk, audit }[pageName]();
  document.body.dataset.ready = 'true';
})().catch((err) => {
  main.prepend(h('p', { class: 'error' }, `error: ${err.message}`));
});
