import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import { browserMissingReason, launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { childEnv } from '../support/child-env.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

const missing = browserMissingReason();
if (missing) console.warn(missing);
const ROOT = resolve(import.meta.dirname, '../..');
const VIEWER = 'telegram:111111';

/** `tradeops dashboard-link` (the real CLI) against the bot's database: the link on stdout. */
function cliLink(env: Record<string, string>, user: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/tradeops.js'), 'dashboard-link', '--user', user], { cwd: ROOT, env: childEnv(env), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe.skipIf(Boolean(missing))('the web dashboard in Chromium against a real bot on the simulated exchange', () => {
  let bot: BotProcess;
  let b: TestBrowser;
  let url: string;
  let viewerLink: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { DATA_DIR: tempDataDir(), HTTP_PORT: '0', CONSOLE: 'true', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', CHAT_USERS: `${VIEWER}=viewer`, STRATEGY_PARAMS: '{"fast":2,"slow":4}', STOPLOSS_GUARD: '5', MAX_DRAWDOWN_PCT: '90' };
    // Made before the start: the embedded database is opened by one process at a time.
    viewerLink = cliLink(env, VIEWER);
    bot = spawnBot(['start'], env);
    url = /http=(http:\/\/[^\s]+)/.exec((await bot.waitFor(/tradeops ready: (.*)\n/, 30_000))[1]!)![1]!;
    // HTTP_PORT=0 picks the port at start: the CLI's link names port 0; its path is what counts.
    viewerLink = `${url}${new URL(viewerLink).pathname}`;
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await bot?.stop('SIGKILL');
  });

  /** /dashboard on the bot's console: the console user is admin. */
  async function consoleLink(): Promise<string> {
    const mark = bot.stdout().length;
    bot.send('/dashboard');
    const m = await bot.waitFor(/(http:\/\/\S+\/login\/[A-Za-z0-9_-]{43})/, 10_000, mark);
    return m[1]!;
  }

  async function signIn(link: string) {
    const context = await b.browser.newContext({ viewport: { width: 1400, height: 1100 } });
    const page = await context.newPage();
    await page.goto(link);
    await page.click('#sign-in');
    return { context, page };
  }

  it('everything answers 401 without a session; a link signs in once (a used or expired link is refused)', async () => {
    for (const path of ['/', '/market', '/api/overview', '/api/events', '/audit']) expect((await fetch(`${url}${path}`)).status, path).toBe(401);
    const link = await consoleLink();
    // A GET of the link (a chat app's preview) does not use it up.
    expect((await fetch(link)).status).toBe(200);
    const { context, page } = await signIn(link);
    await page.waitForSelector('body[data-ready="true"]');
    expect(new URL(page.url()).pathname).toBe('/');
    const cookie = (await context.cookies()).find((c) => c.name === 'tradeops_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await screenshot(page, 'dashboard-signed-in');
    // The same link again: refused.
    const again = await b.browser.newPage();
    await again.goto(link);
    await again.click('#sign-in');
    expect(await again.locator('#reason').textContent()).toContain('already used');
    await again.close();
    // A made-up (or expired) token: refused too.
    const fake = await b.browser.newPage();
    await fake.goto(`${url}/login/${'A'.repeat(43)}`);
    await fake.click('#sign-in');
    expect(await fake.locator('#reason').textContent()).toMatch(/is not valid|has expired/);
    await fake.close();
    await context.close();
  });

  it('the overview shows equity and positions and changes live after a fill', async () => {
    const { context, page } = await signIn(await consoleLink());
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#equity').textContent()).toMatch(/[0-9,]+\.\d\d USDT/);
    await page.waitForSelector('#live:text("live")');
    const before = await page.locator('#alerts').textContent();
    // The fast sma-cross on the accelerated simulated market trades within seconds: without a
    // reload, a fill shows up in the alerts (pushed by server-sent events) and a position appears.
    await page.waitForFunction((b) => (globalThis as any).document.getElementById('alerts').textContent !== b, before, { timeout: 60_000 });
    expect(await page.locator('#alerts li').first().textContent()).toMatch(/entry|exit/);
    // The simulated exchange's accelerated clock is never passed off as the wall clock.
    expect(await page.locator('#alerts li').first().textContent()).toContain('(simulated market time)');
    await page.waitForSelector('#positions tr[data-symbol="BTC/USDT"]', { timeout: 60_000 });
    expect(await page.locator('#positions tr[data-symbol="BTC/USDT"] td').nth(1).textContent()).toBe('long');
    await screenshot(page, 'dashboard-overview-live');
    await context.close();
  });

  it('a viewer sees the pages but no controls', async () => {
    const { context, page } = await signIn(viewerLink);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('.who').textContent()).toContain('viewer');
    expect(await page.locator('#controls button').count()).toBe(0);
    // The API refuses a viewer's control through the command core (role check, audited).
    const reply = await page.evaluate(async () => {
      const csrf = (globalThis as any).document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch('/api/command', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ command: 'pause' }) });
      return ((await r.json()) as { reply: { text: string[] } }).reply;
    });
    expect(reply.text.join(' ')).toContain('needs the trader role');
    // Without the CSRF token nothing runs.
    const status = await page.evaluate(async () => (await fetch('/api/command', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"command":"pause"}' })).status);
    expect(status).toBe(403);
    await screenshot(page, 'dashboard-viewer');
    await page.goto(`${url}/audit`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('select[name="platform"]', 'web');
    await page.click('#audit-form button');
    await page.waitForFunction(() => /needs trader/.test((globalThis as any).document.getElementById('audit').textContent));
    await screenshot(page, 'dashboard-audit');
    await context.close();
  });

  it('an admin stops trading from the dashboard through the confirmation the chat uses', async () => {
    const { context, page } = await signIn(await consoleLink());
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#btn-stop');
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.locator('#confirm-text').textContent()).toContain('HALTED');
    await screenshot(page, 'dashboard-stop-confirm');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => (globalThis as any).document.getElementById('state').textContent === 'HALTED');
    await page.click('#btn-resume');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => (globalThis as any).document.getElementById('state').textContent === 'ACTIVE');
    await context.close();
  });

  /** Send a command as the signed-in user through the dashboard's own API (CSRF included). */
  const command = (page: Awaited<ReturnType<typeof signIn>>['page'], text: string) =>
    page.evaluate(async (t) => {
      const csrf = (globalThis as any).document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch('/api/command', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ text: t }) });
      return ((await r.json()) as { reply: { title?: string; text: string[] } }).reply;
    }, text);

  it('a position opened on the simulated exchange is closed from the dashboard (/close, confirmed) and leaves the overview', async () => {
    const { context, page } = await signIn(await consoleLink());
    await page.waitForSelector('body[data-ready="true"]');
    const row = page.locator('#positions tr[data-symbol="BTC/USDT"]');
    const statusText = () => page.locator('#control-status').textContent();
    /**
     * REDUCING (/pause): the strategy opens nothing new while the position is closed by hand — but its
     * own exits still pass, and on the fast simulated market one may come first (then there is
     * nothing left to close). Such an attempt resumes, waits for the next position and tries again.
     */
    const closeOnce = async (): Promise<boolean> => {
      await row.waitFor({ timeout: 90_000 });
      expect(await row.locator('td').nth(1).textContent()).toBe('long');
      expect((await command(page, '/pause from the close test')).title).toBe('Paused');
      try {
        await page.click('#positions button[data-close="BTC/USDT"]', { timeout: 5_000 });
        await page.waitForSelector('#confirm-dialog[open]', { timeout: 10_000 });
      } catch {
        expect((await command(page, '/resume')).title).toBe('Resumed');
        return false;
      }
      expect(await page.locator('#confirm-text').textContent()).toMatch(/reduce-only.*BTC\/USDT: long/s);
      await screenshot(page, 'dashboard-close-confirm');
      await page.click('#confirm-ok');
      await page.waitForFunction(() => /Closed|not everything closed|holds no position/.test((globalThis as any).document.getElementById('control-status').textContent), undefined, { timeout: 30_000 });
      const status = (await statusText()) ?? '';
      outcomes.push(status);
      if (/Closed/.test(status)) return true;
      expect((await command(page, '/resume')).title).toBe('Resumed');
      return false;
    };
    // What each attempt's confirmation answered, for the message should none of them close.
    const outcomes: string[] = [];
    let closed = false;
    for (let attempt = 0; attempt < 4 && !closed; attempt++) closed = await closeOnce();
    expect(closed, `attempts answered: ${outcomes.join(' | ') || 'no confirmation dialog'}`).toBe(true);
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('#positions').textContent()).toContain('no open position');
    // The audit log holds the web caller's /close: asked, then confirmed.
    await page.goto(`${url}/audit`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('input[name="command"]', 'close');
    await page.selectOption('select[name="platform"]', 'web');
    await page.click('#audit-form button');
    await page.waitForFunction(() => /confirm_requested/.test((globalThis as any).document.getElementById('audit').textContent));
    expect((await command(page, '/resume')).title).toBe('Resumed');
    await context.close();
  }, 180_000);

  it.skipIf(!COMMANDS.some((c) => c.name === 'killall'))('kill-all from the dashboard, confirmed, ends flat on the simulated exchange', async () => {
    const { context, page } = await signIn(await consoleLink());
    await page.waitForSelector('body[data-ready="true"]');
    // Trading on (whatever an earlier test left), and something to flatten: wait until the strategy holds a position again.
    await command(page, '/resume');
    const row = page.locator('#positions tr[data-symbol="BTC/USDT"]');
    await row.waitFor({ timeout: 120_000 });
    expect(await row.locator('td').nth(2).textContent()).toMatch(/[1-9]/);
    await page.click('#btn-killall');
    await page.waitForSelector('#confirm-dialog[open]');
    await screenshot(page, 'dashboard-killall-confirm');
    await page.click('#confirm-ok');
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#positions')?.textContent.includes('no open position'), undefined, { timeout: 30_000 });
    expect(await page.locator('#state').textContent()).toBe('HALTED');
    await screenshot(page, 'dashboard-killall-flat');
    await context.close();
  }, 180_000);

  it('market, backtests and risk pages draw', async () => {
    const { context, page } = await signIn(await consoleLink());
    await page.goto(`${url}/market`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => Number((globalThis as any).document.querySelectorAll('#price-chart canvas').length) > 0);
    await screenshot(page, 'dashboard-market');
    await page.goto(`${url}/risk`);
    await page.waitForSelector('body[data-ready="true"]');
    // Kelly: the inputs and the size /size gives, from the same risk service.
    expect(await page.locator('#kelly-size').textContent()).toMatch(/[0-9.,]+ BTC · [0-9.,]+ USDT \([0-9.]+%\)/);
    const kelly = await page.locator('#kelly table').textContent();
    for (const input of ['win rate W', 'payoff R', 'f*', 'KELLY_FRACTION', 'MAX_POSITION_PCT']) expect(kelly).toContain(input);
    const size = await command(page, '/size BTC/USDT');
    expect(size.title).toContain('Size BTC/USDT');
    // Protections: the ones this bot's configuration switches on, and what is in force now (/status's lines).
    const configured = await page.locator('#protections-configured').textContent();
    expect(configured).toContain('stop-loss guard: 5 stop-loss exit(s)');
    expect(configured).toContain('max drawdown: 90% from the equity peak');
    const active = await page.locator('#protections-active li').allTextContents();
    const status = (await command(page, '/status')).text.join('\n');
    for (const line of active.filter((l) => !l.startsWith('nothing in force'))) expect(status).toContain(line);
    // The panic components by name (the risk layer writes one row per tick while the bot runs).
    await page.waitForFunction(() => /volatility/.test((globalThis as any).document.getElementById('panic-components').textContent));
    await screenshot(page, 'dashboard-risk');
    await page.goto(`${url}/backtests`);
    await page.waitForSelector('body[data-ready="true"]');
    // The launch form is validated by the chat command's schema: a bad timeframe is refused.
    await page.fill('input[name="timeframe"]', '7x');
    await page.click('#backtest-form button');
    await page.waitForFunction(() => /timeframe/i.test((globalThis as any).document.getElementById('backtest-result').textContent));
    await page.fill('input[name="timeframe"]', '1m');
    await page.click('#backtest-form button');
    await page.waitForFunction(() => /queued/.test((globalThis as any).document.getElementById('backtest-result').textContent));
    await page.waitForSelector('#runs a[href^="/backtests/"]', { timeout: 60_000 });
    await page.click('#runs a[href^="/backtests/"]');
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 20_000 });
    await screenshot(page, 'dashboard-backtest-report');
    await context.close();
  });
});
