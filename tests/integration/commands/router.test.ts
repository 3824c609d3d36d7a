import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { databaseTargets } from '../../support/databases.ts';
import { ADMIN, CONSOLE, confirmationCodeOf, createHarness, type Harness, said, STRANGER, TRADER, VIEWER } from './support/router-harness.ts';

describe.each(databaseTargets())('command router on $name', (target) => {
  let h: Harness;
  beforeEach(async () => {
    h = createHarness(await target.open());
  });
  afterAll(() => target.cleanup());

  it('a standby answers read-only commands and refuses the leader-only ones without running them, even after a confirmation', async () => {
    let role: 'leader' | 'standby' = 'leader';
    h.services.processRole = () => role;
    const ask = await h.send(ADMIN, '/stop');
    expect(said(ask)).toMatch(/Confirm \/stop\?/);
    role = 'standby';
    for (const line of ['/status', '/positions', '/balance', '/trades 5', '/health', '/backtests', '/panic', '/size']) {
      const r = await h.send(ADMIN, line);
      expect(r?.tone, line).not.toBe('error');
    }
    for (const line of ['/pause news', '/stopentry', '/resume', '/stop', '/reconcile', '/buy BTC/USDT 0.01', '/sell BTC/USDT 0.01', '/close all', '/fx all', '/killall', '/sweep']) {
      const r = await h.send(ADMIN, line);
      expect(said(r), line).toMatch(/this process is a standby: another process is the leader and trades\. \/[a-z]+ changes trading, so only the leader runs it — nothing was done here/);
    }
    // A /stop asked while leading and confirmed after becoming a standby does not run either.
    const confirmed = await h.send(ADMIN, `/confirm ${confirmationCodeOf(ask)}`);
    expect(said(confirmed)).toMatch(/this process is a standby/);
    expect(h.services.calls.setTradingState).toEqual([]);
    expect(h.services.data.riskCalls ?? []).toEqual([]);
    const audit = await h.audit();
    expect(audit.find((a) => a.command === 'pause')).toMatchObject({ decision: 'refused', result: 'standby: leader-only command' });
  });

  it('marks exactly the commands that trade or change trading as leader-only', () => {
    const leaderOnly = COMMANDS.filter((c) => c.leaderOnly).map((c) => c.name).sort();
    // /sweep moves money out of the account: only the process that trades may do it.
    expect(leaderOnly).toEqual(['buy', 'close', 'forceexit', 'fx', 'killall', 'pause', 'reconcile', 'resume', 'sell', 'stop', 'stopbuy', 'stopentry', 'sweep'].sort());
  });

  it('runs every command once, each with an audit row', async () => {
    const seen = new Set<string>();
    const run = async (name: string, line: string, expected: RegExp, caller = ADMIN) => {
      seen.add(name);
      const reply = await h.send(caller, line);
      expect(said(reply), line).toMatch(expected);
      expect(reply?.tone, line).not.toBe('error');
      return reply;
    };
    await run('help', '/help', /\/status[\s\S]*\/backtest[\s\S]*\/stop/);
    await run('whoami', '/whoami', /telegram:1001; your role is admin/);
    await run('status', '/status', /Trading ACTIVE — started[\s\S]*Equity 10,025\.00 USDT[\s\S]*BTC\/USDT long 0\.05000 42,000\.0 42,500\.0 \+25\.00 \+1\.19%/);
    await run('positions', '/positions', /Positions \(1\)[\s\S]*stop 41,000\.0/);
    await run('balance', '/balance', /USDT 7,900\.00 0\.00 7,900\.00[\s\S]*BTC 0\.05000 0\.00000 0\.05000/);
    await run('trades', '/trades 5', /Last 5 closed trades[\s\S]*Net [+-][\d,.]+ after fees, \d of 5 won[\s\S]*BTC\/USDT long 42,000\.0 41,790\.0 -5\.10 -0\.61% 1h 30m 01-15 11:30 stop-loss/);
    await run('pnl', '/pnl week 3', /P&L per week[\s\S]*Total/);
    await run('strategies', '/strategies', /Trading with sma-cross: fast=10 slow=30/);
    await run('backtests', '/backtests', /1 done sma-cross BTC\/USDT 1h .* \+12\.50% \+8\.00% -6\.20% 1\.4 42 55/);
    await run('health', '/health', /Health — all good/);
    await run('backtest', '/backtest sma-cross btc/usdt 1h 2024-01-01 fast=5 slow=20.5', /Backtest #2 queued/, TRADER);
    expect(h.services.calls.enqueue).toEqual([
      {
        strategy: 'sma-cross',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        from: Date.UTC(2024, 0, 1),
        to: undefined,
        params: { fast: 5, slow: 20.5 },
        requestedBy: { platform: 'discord', userId: TRADER.userId, chatId: TRADER.chatId },
      },
    ]);
    await run('pause', '/pause news soon', /Paused/, TRADER);
    expect(h.services.data.tradingState).toMatchObject({ state: 'REDUCING', reason: 'news soon', changedBy: `discord:${TRADER.userId}` });
    await run('resume', '/resume', /Resumed/, TRADER);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    const ask = await run('stop', '/stop', /Confirm \/stop\?[\s\S]*from ACTIVE to HALTED/);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    await run('confirm', `/confirm ${confirmationCodeOf(ask)}`, /Stopped/);
    expect(h.services.data.tradingState.state).toBe('HALTED');
    const ask2 = await h.send(ADMIN, '/stop again');
    await run('cancel', `/cancel ${confirmationCodeOf(ask2)}`, /Cancelled: \/stop will not run/);
    await run('reconcile', '/reconcile', /Reconciled — differences found[\s\S]*1 filled while offline[\s\S]*external order web_1: buy 0\.01 BTC\/USDT \(left alone\)/);
    await run('dashboard', '/dashboard', new RegExp(`/login/T{43}\\?for=telegram:${ADMIN.userId}[\\s\\S]*works once`));
    await run('logout', '/logout all', /Ended 2 dashboard session/);
    // Chat-ops 2 vocabulary.
    await run('start', '/start', /Welcome to tradeops[\s\S]*You are telegram:1001, role admin[\s\S]*\/help/);
    await run('version', '/version', /tradeops 0\.1\.0-test[\s\S]*up 1h/);
    await run('profit', '/profit', /^(?=[\s\S]*Today\s+\+7\.00\s+6)(?=[\s\S]*Unrealised \+25\.00 on 1 open position · equity 10,025\.00 USDT)Profit \(USDT\)/);
    await run('daily', '/daily 2', /P&L per day[\s\S]*Total\s+\+12\.00/);
    await run('weekly', '/weekly', /P&L per week/);
    await run('monthly', '/monthly 1', /P&L per month[\s\S]*Total\s+\+7\.00/);
    await run('count', '/count', /1 open position[\s\S]*1 long, 0 short · 2,125\.00 USDT = 21\.2% of equity 10,025\.00/);
    await run('fills', '/fills 2', /Last 2 fills[\s\S]*01-15 12:00 BTC\/USDT sell 42,000\.0 0\.01000 0\.42 \+3\.50/);
    await run('performance', '/performance', /Performance per symbol[\s\S]*12 closed trades[\s\S]*net \+48\.16 after fees[\s\S]*ETH\/USDT 6 67% \+28\.36 \+0\.42%\nBTC\/USDT 6 67% \+19\.80 \+0\.39%/);
    await run('show_config', '/show_config', /Configuration in effect[\s\S]*STRATEGY sma-cross \(default\)[\s\S]*TELEGRAM_BOT_TOKEN \(hidden\)[\s\S]*COMMAND_RATE_LIMIT 40/, VIEWER);
    await run('reload_config', '/reload_config', /Configuration reloaded[\s\S]*Applied STRATEGY_PARAMS[\s\S]*after a restart: LOG_LEVEL/);
    expect(h.services.calls.reload).toEqual([`telegram:${ADMIN.userId}`]);
    expect(said(await h.send(TRADER, '/reload_config'))).toMatch(/needs the admin role/);
    await run('logs', '/logs 5 warn', /Last 2 log lines[\s\S]*WARN \[exchange\] exchange slow[\s\S]*ERROR \[orders\] order rejected: insufficient funds/);
    expect(said(await h.send(TRADER, '/logs'))).toMatch(/needs the admin role/);
    await run('resume', '/resume', /Resumed/);
    await run('stopentry', '/stopentry', /Paused/, TRADER);
    expect(h.services.data.tradingState.state).toBe('REDUCING');
    await run('resume', '/resume', /Resumed/, TRADER);
    await run('stopbuy', '/stopbuy news', /Paused/, TRADER);
    await run('resume', '/resume', /Resumed/, TRADER);
    await run('audit', '/audit 3', /Audit log \(last 3\)/);
    await run('alerts', '/alerts', /Alert settings[\s\S]*fill silent silent silent/);
    await run('alerts', '/alerts fill off telegram', /fill alerts are now off on telegram/);
    expect(said(await h.send(ADMIN, '/alerts fill'))).toMatch(/fill off\* silent silent/);
    // Risk and manual control: previews, confirmations and denials through the router.
    await run('size', '/size', /Size BTC\/USDT: 0\.02980 \(1,253\.13 USDT, 12\.50% of equity\)[\s\S]*win rate W/);
    await run('panic', '/panic', /Panic portfolio: 45\/100 — elevated[\s\S]*volatility/);
    const buy = await run('buy', '/buy BTC/USDT 500', /Confirm \/buy\?[\s\S]*BUY 0\.01190 BTC\/USDT[\s\S]*≈ 42,000\.0[\s\S]*fee ≈ 0\.50 USDT[\s\S]*Passes every pre-flight check/, TRADER);
    expect(h.services.data.riskCalls ?? []).toEqual([]);
    expect(said(await h.send(TRADER, `/confirm ${confirmationCodeOf(buy)}`))).toMatch(/Bought BTC\/USDT/);
    expect(h.services.data.riskCalls).toEqual([`buy BTC/USDT 500 by discord:${TRADER.userId}`]);
    const denied = await h.send(TRADER, '/sell BTC/USDT 9000 limit 41000');
    expect(said(denied)).toMatch(/denied by the risk checks — MAX_ORDER_NOTIONAL/);
    expect(said(denied)).not.toMatch(/Confirm/);
    await run('sell', '/sell BTC/USDT 5%', /Confirm \/sell\?[\s\S]*SELL/, TRADER);
    await run('close', '/close all', /Confirm \/close\?[\s\S]*BTC\/USDT: long 0\.05/, TRADER);
    await run('forceexit', '/forceexit BTC/USDT', /Confirm \/forceexit\?/, TRADER);
    const fx = await run('fx', '/fx BTC/USDT', /Confirm \/fx\?/, TRADER);
    expect(said(await h.send(TRADER, `/confirm ${confirmationCodeOf(fx)}`))).toMatch(/Closed[\s\S]*closed near 42500/);
    const kill = await run('killall', '/killall', /Confirm \/killall\?[\s\S]*HALTED now[\s\S]*BTC\/USDT: close 0\.05000 \(long\), cancel 1 order/);
    expect(said(await h.send(ADMIN, `/confirm ${confirmationCodeOf(kill)}`))).toMatch(/Kill-all #1 finished: flat/);
    expect(said(await h.send(TRADER, '/killall'))).toMatch(/needs the admin role|admin/);
    const sweep = await run('sweep', '/sweep', /Confirm \/sweep\?[\s\S]*DRY RUN[\s\S]*Move 5,000\.00 USDT to TXYZtreasury0001 on TRX/);
    expect(said(await h.send(ADMIN, `/confirm ${confirmationCodeOf(sweep)}`))).toMatch(/Sweep dry run: 5,000\.00 USDT[\s\S]*nothing was sent/);
    expect(said(await h.send(TRADER, '/sweep'))).toMatch(/needs the admin role/);

    expect([...seen].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    const rows = await h.audit();
    // One row per command sent (37 above, 16 for the risk commands, 6 for performance, config and logs); the confirm/cancel rows carry the original command.
    expect(rows).toHaveLength(59);
    expect(rows.find((r) => r.decision === 'confirmed' && r.command === 'stop')).toMatchObject({ command: 'stop', platform: 'telegram', userId: ADMIN.userId, role: 'admin' });
    expect(rows.find((r) => r.decision === 'cancelled')).toMatchObject({ command: 'stop' });
    for (const r of rows) {
      expect(r.durationMs).not.toBeNull();
      expect(r.result).toBeTruthy();
    }
  });

  it('greets strangers on /start with their id; help lists aliases with their command, grouped by role', async () => {
    const hello = said(await h.send(STRANGER, '/start'));
    expect(hello).toMatch(/not on the allow-list yet: an admin adds telegram:999=viewer/);
    const help = said(await h.send(TRADER, '/help'));
    expect(help).toMatch(/Everyone:[\s\S]*\/start[\s\S]*Traders:[\s\S]*\/pause \[REASON…\] \(also \/stopentry, \/stopbuy\)/);
    expect(help).not.toMatch(/^\/stopentry/m);
    expect(said(await h.send(VIEWER, '/stopbuy'))).toMatch(/\/stopbuy needs the trader role/);
  });

  it('accepts /cmd@BotName, a bare word and mixed case', async () => {
    expect(said(await h.send(ADMIN, '/status@TradeOpsBot'))).toMatch(/Trading ACTIVE/);
    expect(said(await h.send(VIEWER, 'status'))).toMatch(/Trading ACTIVE/);
    expect(said(await h.send(VIEWER, '/STATUS'))).toMatch(/Trading ACTIVE/);
  });

  it('suggests the closest command for a typo', async () => {
    const r = await h.send(VIEWER, '/stauts');
    expect(said(r)).toContain('Unknown command /stauts. Did you mean /status?');
    expect((await h.audit())[0]).toMatchObject({ command: 'stauts', decision: 'refused', result: 'unknown command' });
  });

  it('enforces roles: viewer < trader < admin', async () => {
    const viewerPause = await h.send(VIEWER, '/pause');
    expect(said(viewerPause)).toBe('/pause needs the trader role; you are viewer.');
    const traderStop = await h.send(TRADER, '/stop');
    expect(said(traderStop)).toBe('/stop needs the admin role; you are trader.');
    expect(said(await h.send(TRADER, '/audit'))).toContain('needs the admin role');
    expect(said(await h.send(VIEWER, '/backtest sma-cross BTC/USDT 1h'))).toContain('needs the trader role');
    expect(h.services.calls.setTradingState).toEqual([]);
    expect(h.services.calls.enqueue).toEqual([]);
    const rows = await h.audit();
    expect(rows.map((r) => [r.command, r.role, r.decision])).toEqual([
      ['backtest', 'viewer', 'refused'],
      ['audit', 'trader', 'refused'],
      ['stop', 'trader', 'refused'],
      ['pause', 'viewer', 'refused'],
    ]);
    // A viewer's help lists only what a viewer may use.
    const help = said(await h.send(VIEWER, '/help'));
    expect(help).toContain('/status');
    expect(help).not.toContain('/pause');
    expect(help).not.toContain('/stop');
  });

  it('lets a trader undo a pause but not a halt', async () => {
    h.services.data.tradingState = { state: 'HALTED', reason: 'auth failure', changedBy: 'risk', changedAt: 0 };
    const r = await h.send(TRADER, '/resume');
    expect(r?.tone).toBe('error');
    expect(said(r)).toContain('only an admin can resume it');
    expect(h.services.calls.setTradingState).toEqual([]);
    expect((await h.audit())[0]).toMatchObject({ command: 'resume', decision: 'refused' });
    expect(said(await h.send(ADMIN, '/resume'))).toContain('Trading is ACTIVE (was HALTED: auth failure)');
  });

  it('answers strangers with their id, at most once a minute, and only runs public commands for them', async () => {
    const first = await h.send(STRANGER, '/status');
    expect(said(first)).toContain('Your id is telegram:999');
    expect(await h.send(STRANGER, '/pause')).toBeUndefined();
    expect(await h.send(STRANGER, 'hello there')).toBeUndefined();
    expect(said(await h.send(STRANGER, '/whoami'))).toContain('Your id is telegram:999. You are not on the allow-list.');
    const help = said(await h.send(STRANGER, '/help'));
    expect(help).toContain('/whoami');
    expect(help).not.toContain('/status');
    h.clock.advance(60_001);
    expect(said(await h.send(STRANGER, '/stop'))).toContain('Your id is telegram:999');
    // The same numeric id on another platform is another person.
    expect(said(await h.send({ platform: 'discord', userId: '1001' }, '/status'))).toContain('Your id is discord:1001');
    expect(h.services.calls.setTradingState).toEqual([]);
    const rows = await h.audit();
    expect(rows.filter((r) => r.userId === '999').map((r) => [r.command, r.decision, r.result])).toEqual([
      ['stop', 'refused', 'unknown user'],
      ['help', 'allowed', 'Commands'],
      ['whoami', 'allowed', 'Who you are'],
      ['hello', 'refused', 'unknown user (not answered)'],
      ['pause', 'refused', 'unknown user (not answered)'],
      ['status', 'refused', 'unknown user'],
    ]);
  });

  it('executes a redelivered update once', async () => {
    const input = { caller: TRADER, text: '/pause', deliveryId: 'interaction-42' };
    const first = await h.router.handle(input);
    expect(said(first)).toContain('Paused');
    expect(await h.router.handle(input)).toBeUndefined();
    expect(await h.router.handle({ ...input, text: '/resume' })).toBeUndefined();
    expect(h.services.calls.setTradingState).toHaveLength(1);
    // The same id from another platform is a different update.
    expect(said(await h.router.handle({ caller: ADMIN, text: '/whoami', deliveryId: 'interaction-42' }))).toContain('admin');
    expect((await h.audit()).map((r) => r.command)).toEqual(['whoami', 'pause']);
  });

  it('forgets delivery ids after two days (pruned on a later delivery)', async () => {
    await h.router.handle({ caller: VIEWER, text: '/whoami', deliveryId: 'old' });
    h.clock.advance(3 * 24 * 3_600_000);
    await h.router.handle({ caller: VIEWER, text: '/whoami', deliveryId: 'new' });
    const ids = await h.database.rows<{ update_id: string }>(sql`select update_id from chat_updates order by update_id`);
    expect(ids.map((r) => r.update_id)).toEqual(['new']);
  });

  it('rate-limits each user with a sliding window, never the console', async () => {
    h = createHarness(h.database, { rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect(said(await h.send(VIEWER, '/whoami'))).toContain('viewer');
      h.clock.advance(10_000);
    }
    const limited = await h.send(VIEWER, '/status');
    expect(said(limited)).toBe('Slow down: at most 3 commands a minute. Try again in 30 s; until then messages are not answered.');
    // The rest of the window: no answer, no audit row, counted in /metrics.
    for (let i = 0; i < 50; i++) expect(await h.send(VIEWER, '/status')).toBeUndefined();
    expect(h.metrics.limited).toEqual({ replied: 1, dropped: 50 });
    // Another user is not affected.
    expect(said(await h.send(TRADER, '/whoami'))).toContain('trader');
    for (let i = 0; i < 10; i++) expect(said(await h.send(CONSOLE, '/whoami'))).toContain('console:console; your role is admin');
    h.clock.advance(30_000);
    expect(said(await h.send(VIEWER, '/status'))).toContain('Trading ACTIVE');
    const rows = await h.audit();
    expect(rows.filter((r) => r.decision === 'rate_limited').map((r) => [r.userId, r.command])).toEqual([[VIEWER.userId, 'status']]);
  });

  it('answers AppErrors with their message and anything else generically, logged with context', async () => {
    h.services.health = async () => {
      throw new AppError('UNAVAILABLE', 'exchange is in maintenance');
    };
    expect(said(await h.send(VIEWER, '/health'))).toBe('exchange is in maintenance');
    h.services.balances = async () => {
      throw new Error('connection to 10.0.0.5 reset; password=hunter2');
    };
    const r = await h.send(VIEWER, '/balance');
    expect(said(r)).toBe('internal error — the details are in the log');
    expect(r?.tone).toBe('error');
    const logged = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'command failed');
    expect(logged).toMatchObject({ command: 'balance', platform: 'line', userId: VIEWER.userId });
    const rows = await h.audit();
    expect(rows.slice(0, 2).map((r) => [r.command, r.decision, r.result])).toEqual([
      ['balance', 'failed', 'internal error'],
      ['health', 'failed', 'UNAVAILABLE: exchange is in maintenance'],
    ]);
  });

  it('validates structured (Discord) options with the same schemas', async () => {
    expect(said(await h.router.handle({ caller: TRADER, text: '/trades 5', options: { n: 5 } }))).toContain('Last 5 closed trades');
    const bad = await h.router.handle({ caller: TRADER, text: '/trades', options: { n: Number.POSITIVE_INFINITY } });
    expect(said(bad)).toContain('N: expected how many trades from 1 to 100');
    const bt = await h.router.handle({ caller: TRADER, text: '/backtest', options: { strategy: 'sma-cross', symbol: 'ETH/USDT', timeframe: '4h', params: { fast: 3, mode: 'close' } } });
    expect(said(bt)).toContain('queued');
    expect(h.services.calls.enqueue[0]).toMatchObject({ symbol: 'ETH/USDT', timeframe: '4h', params: { fast: 3, mode: 'close' } });
  });

  it('never writes secrets to the audit log', async () => {
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    await h.send(TRADER, `/pause leaked ${token} here`);
    await h.send(TRADER, `/backtest sma-cross BTC/USDT 1h ${token}`);
    const rows = await h.audit();
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
    expect(stored).toContain('[REDACTED]');
  });

  it('refuses a symbol the exchange does not list and a strategy it does not know', async () => {
    expect(said(await h.send(TRADER, '/backtest sma-cross DOGE/USDT 1h'))).toBe('DOGE/USDT is not listed on this exchange — e.g. BTC/USDT, ETH/USDT, SOL/USDT');
    expect(said(await h.send(TRADER, '/backtest nope BTC/USDT 1h'))).toContain('unknown strategy "nope" — available: sma-cross, rsi-bb');
    expect(said(await h.send(TRADER, '/backtest sma-cross BTC/USDT 1h 2023-12-01 2023-11-01'))).toContain('TO (2023-11-01) must be after FROM (2023-12-01)');
    expect(h.services.calls.enqueue).toEqual([]);
    expect((await h.audit()).map((r) => r.decision)).toEqual(['invalid', 'invalid', 'invalid']);
  });
});
