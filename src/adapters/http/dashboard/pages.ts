import { esc, scriptJson } from '../../../backtest/report/html.ts';
import type { ReportModel } from '../../../backtest/report/report-model.ts';

export type PageName = 'overview' | 'market' | 'backtests' | 'risk' | 'audit' | 'report';

export interface PageContext {
  user: string;
  role: string;
  csrf: string;
  reportBody: (m: ReportModel) => string;
}

const NAV: Array<[PageName, string, string]> = [
  ['overview', '/', 'Overview'],
  ['market', '/market', 'Market'],
  ['backtests', '/backtests', 'Backtests'],
  ['risk', '/risk', 'Risk'],
  ['audit', '/audit', 'Audit log'],
];

/** Page bodies: containers the browser script (dashboard.js) fills from the JSON API. */
const BODIES: Record<Exclude<PageName, 'report'>, string> = {
  overview: `<section class="cards" id="cards">
<div class="card"><div class="label">Mode</div><div class="value" id="mode">…</div></div>
<div class="card"><div class="label">Trading state</div><div class="value" id="state">…</div><div class="muted small" id="state-why"></div></div>
<div class="card"><div class="label">Equity</div><div class="value" id="equity">…</div></div>
<div class="card"><div class="label">Today's P&amp;L</div><div class="value" id="today">…</div></div>
<div class="card"><div class="label">Panic score</div><div id="panic" class="muted small">…</div><div id="panic-gauge" class="gauge" hidden></div></div>
</section>
<div class="controls" id="controls"></div>
<h2>Equity curve</h2><div id="equity-chart" class="chart"></div>
<h2>Open positions</h2><div id="positions"></div>
<h2>Open orders</h2><div id="orders"></div>
<h2>Recent alerts <span class="muted small" id="live">connecting…</span></h2><ul id="alerts"></ul>`,
  market: `<form class="inline" id="market-form"><label>Symbol<select name="symbol" id="symbol"></select></label><label>Timeframe<input name="timeframe" id="timeframe" size="5"></label><button class="primary" type="submit">Show</button><label class="check"><input type="checkbox" id="log-scale"> Log scale</label><span id="marker-status" class="muted"></span></form>
<p class="error" id="market-error"></p>
<div id="price-chart" class="chart chart-tall"></div>`,
  backtests: `<h2>Launch a backtest</h2>
<form class="inline" id="backtest-form"><label>Strategy<select name="strategy" id="bt-strategy"></select></label><label>Symbol<input name="symbol" id="bt-symbol" size="12"></label><label>Timeframe<input name="timeframe" value="1h" size="5"></label><label>From (UTC)<input name="from" placeholder="2024-01-01" size="11"></label><label>To (UTC)<input name="to" placeholder="optional" size="11"></label><label>Parameters<input name="params" placeholder="fast=10 slow=30" size="18"></label><button class="primary" type="submit">Run</button></form>
<p id="backtest-result" role="status"></p>
<h2>Runs</h2><div id="runs"></div>`,
  risk: `<section class="cards"><div class="card"><div class="label">Trading state</div><div class="value" id="risk-state">…</div><div class="muted small" id="risk-why"></div></div>
<div class="card"><div class="label">Kelly size</div><div id="kelly" class="muted small">…</div></div>
<div class="card"><div class="label">Panic score</div><div id="risk-panic" class="muted small">…</div></div>
<div class="card"><div class="label">Protections</div><div id="protections" class="muted small">…</div></div></section>
<h2>Panic score history</h2><div id="panic-history" class="chart"></div><div id="panic-components"></div>
<h2>Recent denials</h2><div id="denials"></div>`,
  audit: `<form class="inline" id="audit-form"><label>Platform<select name="platform"><option value="">any</option><option>web</option><option>telegram</option><option>discord</option><option>line</option><option>console</option></select></label><label>User<input name="user" size="14"></label><label>Command<input name="command" size="10"></label><label>Decision<select name="decision"><option value="">any</option><option>allowed</option><option>refused</option><option>invalid</option><option>confirm_requested</option><option>confirmed</option><option>cancelled</option><option>expired</option><option>failed</option><option>rate_limited</option></select></label><label>Since<input name="since" placeholder="2024-01-31" size="11"></label><button class="primary" type="submit">Filter</button></form>
<div id="audit"></div>`,
};

function shell(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — tradeops</title><link rel="stylesheet" href="/assets/tradeops.css">${head}</head>
<body>${body}</body></html>
`;
}

/** A signed-in page: top bar, the page's containers, the confirmation dialog, the scripts. */
export function page(name: PageName, ctx: PageContext, report?: ReportModel): string {
  const nav = NAV.map(([n, href, label]) => `<a href="${href}"${n === name || (name === 'report' && n === 'backtests') ? ' class="active"' : ''}>${label}</a>`).join('');
  const top = `<nav class="topbar"><strong>tradeops</strong>${nav}<span class="who">${esc(ctx.user)} · ${esc(ctx.role)}</span><form method="post" action="/logout"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button type="submit">Sign out</button></form></nav>`;
  const dialog = `<dialog id="confirm-dialog"><h3 id="confirm-title"></h3><div id="confirm-text"></div><div class="controls"><button id="confirm-cancel" type="button">Cancel</button><button id="confirm-ok" class="danger" type="button">Confirm</button></div></dialog>`;
  const meta = `<meta name="csrf-token" content="${esc(ctx.csrf)}"><meta name="role" content="${esc(ctx.role)}">`;
  if (name === 'report') {
    const body = report ? `${ctx.reportBody(report)}<script type="application/json" id="report-data">${scriptJson(report)}</script>` : '<p class="notice">No report for this run (it failed, is still running, or was made before reports were kept).</p>';
    return shell(report?.title ?? 'Backtest', `${top}<main class="report-page">${body}</main><script src="/assets/echarts.min.js"></script><script type="module" src="/assets/report-view.js"></script>`, meta);
  }
  return shell(
    NAV.find(([n]) => n === name)![2],
    `${top}<main data-page="${name}">${BODIES[name]}</main>${dialog}<script src="/assets/echarts.min.js"></script><script type="module" src="/assets/dashboard.js"></script>`,
    meta,
  );
}

/** The page a sign-in link opens: one button, so a link preview fetched by a chat app signs no one in. */
export function loginPage(token: string): string {
  return shell(
    'Sign in',
    `<main class="login"><h1>tradeops dashboard</h1><p>This one-time link signs this browser in with your chat role.</p><form method="post" action="/login"><input type="hidden" name="token" value="${esc(token)}"><button class="primary" type="submit" id="sign-in">Sign in</button></form></main>`,
  );
}

/** 401 and signed-out page. */
export function signedOutPage(reason = 'You are not signed in.'): string {
  return shell('Sign in', `<main class="login"><h1>tradeops dashboard</h1><p class="error" id="reason">${esc(reason)}</p><p>Send <code>/dashboard</code> to the bot in chat for a sign-in link, or run <code>tradeops dashboard-link --user PLATFORM:ID</code> on the server.</p></main>`);
}
