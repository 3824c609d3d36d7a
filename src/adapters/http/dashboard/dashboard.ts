import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import type { Caller, Role } from '../../../../commands/command.ts';
import type { CommandRouter } from '../../../../commands/router-types.ts';
import type { ChatUsers } from '../../../../commands/users.ts';
import type { EventBus } from '../../../engine/bus.ts';
import type { Logger } from '../../../logger.ts';
import { reportBodyHtml } from '../../../backtest/report/html.ts';
import type { ReportModel } from '../../../backtest/report/report-model.ts';
import { createDashboardData, createEventLog, type DashboardDataDeps } from './data.ts';
import { loginPage, page, signedOutPage, type PageName } from './pages.ts';
import { createDashboardAccess, csrfMatches, type WebSession, type WebSessions } from './sessions.ts';

export const SESSION_COOKIE = 'tradeops_session';

export interface DashboardDeps extends DashboardDataDeps {
  sessions: WebSessions;
  router: CommandRouter;
  users: ChatUsers;
  bus: EventBus;
  logger: Logger;
  /** Base URL of links (PUBLIC_URL, else the server's own address). */
  baseUrl: () => string;
}

interface Viewer {
  session: WebSession;
  token: string;
  role: Role;
  caller: Caller;
}

const require = createRequire(import.meta.url);
const ASSET_DIR = new URL('../../../web/assets/', import.meta.url);
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'echarts.min.js': { file: () => require.resolve('echarts/dist/echarts.min.js'), type: 'text/javascript; charset=utf-8' },
  'charts.js': { file: () => new URL('charts.js', ASSET_DIR).pathname, type: 'text/javascript; charset=utf-8' },
  'report-view.js': { file: () => new URL('report-view.js', ASSET_DIR).pathname, type: 'text/javascript; charset=utf-8' },
  'dashboard.js': { file: () => new URL('dashboard.js', ASSET_DIR).pathname, type: 'text/javascript; charset=utf-8' },
  'tradeops.css': { file: () => new URL('tradeops.css', ASSET_DIR).pathname, type: 'text/css; charset=utf-8' },
};

/**
 * The web dashboard on the bot's own HTTP server: sign-in by one-time link (from /dashboard in chat
 * or `tradeops dashboard-link`), pages that read through BotServices and the database, live updates
 * by server-sent events, and controls that send the very same commands as chat through the command
 * router (platform `web`, audited, role-checked, confirmation codes for destructive commands).
 * Every page and API answers 401 without a live session; only the sign-in page and the static
 * assets (served from the package, no CDN) are public.
 */
export function createDashboard(d: DashboardDeps) {
  const data = createDashboardData(d);
  const events = createEventLog();
  const log = d.logger.child({ component: 'dashboard' });
  d.bus.onAny((e) => void events.push(e));
  const secure = () => d.baseUrl().startsWith('https:');

  const access = createDashboardAccess(d.sessions, d.baseUrl);

  async function viewer(c: Context): Promise<Viewer | undefined> {
    const token = getCookie(c, SESSION_COOKIE);
    const session = await d.sessions.session(token);
    if (!session || !token) return undefined;
    const caller: Caller = { platform: 'web', userId: `${session.platform}:${session.userId}`, displayName: `${session.platform}:${session.userId}` };
    const role = d.users.roleOf(caller);
    if (!role) return undefined;
    return { session, token, role, caller };
  }

  const unauthorized = (c: Context) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'sign in first: send /dashboard in chat for a link' }, 401) : c.html(signedOutPage(), 401);

  function mount(app: Hono): void {
    app.get('/assets/:file', async (c) => {
      const a = ASSETS[c.req.param('file')];
      if (!a) return c.json({ error: 'not found' }, 404);
      const body = await readFile(a.file());
      return c.body(new Uint8Array(body), 200, { 'Content-Type': a.type, 'Cache-Control': 'private, max-age=300' });
    });

    // A GET never signs in (chat apps fetch link previews): the page asks for one press of a button.
    app.get('/login/:token', (c) => c.html(loginPage(c.req.param('token'))));
    app.post('/login', async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const r = await d.sessions.redeem(String(form.token ?? ''));
      if (!r.ok) return c.html(signedOutPage(r.reason), 401);
      setCookie(c, SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'Strict', secure: secure(), path: '/', expires: new Date(r.session.expiresAt) });
      log.info({ user: `${r.session.platform}:${r.session.userId}` }, 'dashboard sign-in');
      return c.redirect('/', 303);
    });

    const guard = async (c: Context, next: () => Promise<void>) => {
      const v = await viewer(c);
      if (!v) return unauthorized(c);
      c.set('viewer' as never, v as never);
      await next();
    };
    const me = (c: Context) => c.get('viewer' as never) as unknown as Viewer;
    for (const p of ['/', '/market', '/backtests', '/backtests/*', '/risk', '/audit', '/api/*', '/logout']) app.use(p, guard);

    const pages: Array<[string, PageName]> = [
      ['/', 'overview'],
      ['/market', 'market'],
      ['/backtests', 'backtests'],
      ['/risk', 'risk'],
      ['/audit', 'audit'],
    ];
    for (const [path, name] of pages) app.get(path, (c) => c.html(page(name, pageContext(me(c)))));
    app.get('/backtests/:id', async (c) => {
      const model = await reportOf(Number(c.req.param('id')));
      return c.html(page('report', pageContext(me(c)), model), model ? 200 : 404);
    });

    app.post('/logout', async (c) => {
      const v = me(c);
      if (!csrfMatches(v.session, c.req.header('x-csrf-token') ?? String((await c.req.parseBody().catch(() => ({}) as Record<string, unknown>))._csrf ?? ''))) return c.json({ error: 'bad CSRF token' }, 403);
      await d.sessions.logout(v.token);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure() });
      return c.redirect('/login-ended', 303);
    });
    app.get('/login-ended', (c) => c.html(signedOutPage('You are signed out.'), 200));

    app.get('/api/me', (c) => {
      const v = me(c);
      const commands = d.router.commands.filter((x) => ['pause', 'resume', 'stop', 'close', 'killall'].includes(x.name)).map((x) => ({ name: x.name, role: x.role, description: x.description, confirm: Boolean(x.confirm) }));
      return c.json({ user: v.caller.userId, role: v.role, expiresAt: v.session.expiresAt, commands });
    });
    app.get('/api/overview', async (c) => c.json(await data.overview(events)));
    app.get('/api/market', async (c) => {
      const symbol = c.req.query('symbol') || d.kernel.options.symbols[0]!;
      const timeframe = c.req.query('timeframe') || d.kernel.options.timeframe;
      if (!d.kernel.options.symbols.includes(symbol)) return c.json({ error: `unknown symbol ${symbol}: this bot trades ${d.kernel.options.symbols.join(', ')}` }, 400);
      if (!/^[1-9][0-9]{0,2}[smhdw]$/.test(timeframe)) return c.json({ error: `timeframe "${timeframe}" is not valid (e.g. 1m, 1h, 1d)` }, 400);
      return c.json(await data.market(symbol, timeframe));
    });
    app.get('/api/backtests', async (c) => c.json({ runs: await d.services.backtests.list(50), strategies: await d.services.strategies(), symbols: d.kernel.options.symbols }));
    app.get('/api/risk', async (c) => c.json(await data.risk()));
    app.get('/api/audit', async (c) => {
      const q = (k: string) => c.req.query(k) || undefined;
      const since = q('since') ? Date.parse(q('since')!) : undefined;
      return c.json({ rows: await data.audit({ platform: q('platform'), user: q('user'), command: q('command'), decision: q('decision'), since: Number.isFinite(since) ? since : undefined }) });
    });

    // Every change goes through the command core, exactly as from chat.
    app.post('/api/command', async (c) => {
      const v = me(c);
      if (!csrfMatches(v.session, c.req.header('x-csrf-token'))) return c.json({ error: 'bad CSRF token: reload the page' }, 403);
      let body: { text?: unknown; command?: unknown; options?: unknown };
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: 'expected a JSON body' }, 400);
      }
      const text = typeof body.text === 'string' ? body.text : typeof body.command === 'string' ? `/${body.command}` : '';
      if (!/^\/[a-z]{1,32}\b/.test(text) || text.length > 500) return c.json({ error: 'expected {"text": "/command …"} or {"command": "name", "options": {…}}' }, 400);
      const options = body.options !== undefined && typeof body.options === 'object' && body.options !== null ? (body.options as Record<string, unknown>) : undefined;
      const reply = await d.router.handle({ caller: v.caller, text, options });
      return c.json({ reply: reply ?? null });
    });

    app.get('/api/events', (c) => {
      const v = me(c);
      return streamSSE(c, async (stream) => {
        let closed = false;
        const send = (event: string, payload: unknown) => {
          if (!closed) stream.writeSSE({ event, data: JSON.stringify(payload) }).catch(() => undefined);
        };
        const offBus = d.bus.onAny((e) => {
          const item = events.list()[0];
          send('update', { type: e.type, alert: item && item.ts === e.ts && item.type === e.type ? item : undefined });
        });
        const offRuns = d.services.backtests.onUpdate((run) => send('backtest', { id: run.id, status: run.status, progress: run.progress, error: run.error }));
        stream.onAbort(() => {
          closed = true;
        });
        send('hello', { role: v.role });
        // Heartbeats keep proxies from closing the stream; a revoked or expired session ends it.
        while (!closed) {
          await stream.sleep(15_000);
          if (closed) break;
          if (!(await d.sessions.session(v.token))) {
            send('signed-out', {});
            break;
          }
          await stream.writeSSE({ event: 'ping', data: String(d.wallClock()) }).catch(() => {
            closed = true;
          });
        }
        offBus();
        offRuns();
      });
    });
  }

  async function reportOf(id: number): Promise<ReportModel | undefined> {
    if (!Number.isInteger(id) || id < 1) return undefined;
    const run = await d.services.backtests.get(id);
    if (!run?.chartPath) return undefined;
    try {
      return JSON.parse(await readFile(join(dirname(run.chartPath), 'report.json'), 'utf8')) as ReportModel;
    } catch {
      return undefined;
    }
  }

  function pageContext(v: Viewer) {
    return { user: v.caller.userId, role: v.role, csrf: v.session.csrf, reportBody: reportBodyHtml };
  }

  return { access, mount, events };
}
