import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/tradeops.js');
const DATA = join(ROOT, 'tests/fixtures/candles/freqtrade_UNITTEST_BTC-1m.json');
const work = mkdtempSync(join(tmpdir(), 'bt-cli-'));
const env = childEnv({ DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent' });

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, 'backtest', ...args], { cwd: work, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('tradeops backtest (the real binary)', () => {
  it('--json prints exactly one JSON object with the metrics', async () => {
    const r = await cli(['--strategy', 'rsi-bb', '--data', DATA, '--symbol', 'BTC/USDT', '--fee', '0.1%', '--slippage', '5bps', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const k of ['trades', 'finalEquity', 'returnPct', 'buyHoldReturnPct', 'maxDrawdownPct', 'winRatePct', 'profitFactor', 'sharpe', 'sortino', 'cagrPct', 'exposurePct']) {
      expect(j, k).toHaveProperty(k);
    }
    expect(j.trades).toBeGreaterThan(0);
    expect(j.symbol).toBe('BTC/USDT');
    expect(j.timeframe).toBe('1m');
    expect((j.options as { slippageBps: number }).slippageBps).toBe(5);
    // A file backtest without --save opens no database: no run id, no data directory.
    expect(j).not.toHaveProperty('runId');
    expect(existsSync(join(work, 'data'))).toBe(false);
  });

  it('--risk runs the configured protections and the panic score; --sizing kelly takes the KELLY_* settings', async () => {
    const run = (args: string[], extra: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
        execFile(process.execPath, [BIN, 'backtest', ...args], { cwd: work, env: { ...env, ...extra }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => res({ code: err ? 1 : 0, stdout, stderr }));
      });
    const config = { COOLDOWN_MINUTES: '30', MAX_POSITION_PCT: '100', KELLY_MIN_TRADES: '5', KELLY_FRACTION: '0.25', PANIC_THRESHOLD: '65' };
    const gated = await run(['--strategy', 'rsi-bb', '--data', DATA, '--sizing', 'kelly', '--risk', '--json'], config);
    expect(gated.stderr).toBe('');
    const g = JSON.parse(gated.stdout) as { risk: { protections: Array<{ kind: string }>; panic: { gateThreshold: number | null; threshold: number; maxScore: number } }; options: { kelly: { minTrades: number; multiplier: number } }; trades: number };
    expect(g.trades).toBeGreaterThan(0);
    expect(g.options.kelly).toMatchObject({ minTrades: 5, multiplier: 0.25 });
    expect(g.risk.protections.some((p) => p.kind === 'cooldown')).toBe(true);
    expect(g.risk.panic).toMatchObject({ gateThreshold: 65, threshold: 65 });
    expect(g.risk.panic.maxScore).toBeGreaterThan(0);
    const report = await run(['--strategy', 'rsi-bb', '--data', DATA, '--sizing', 'kelly', '--risk', '--no-panic-gate'], config);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/Protections: cooldown ×\d+/);
    expect(report.stdout).toMatch(/Panic gate off: \d+ entr(y|ies) taken at a score ≥ 65 would have been denied/);
  });

  it('--save stores a file backtest in the database (run id in --json)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bt-cli-save-'));
    const saved = await new Promise<{ code: number; stdout: string }>((res) => {
      execFile(process.execPath, [BIN, 'backtest', '--strategy', 'rsi-bb', '--data', DATA, '--json', '--save'], { cwd: work, env: { ...env, DATA_DIR: dataDir } }, (err, stdout) => res({ code: err ? 1 : 0, stdout }));
    });
    expect(saved.code).toBe(0);
    const j = JSON.parse(saved.stdout) as { runId?: unknown; trades: number };
    expect(typeof j.runId).toBe('number');
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);
  });

  it('--out writes the CSVs, two PNG charts and a self-contained report.html; the summary is readable', async () => {
    const out = join(work, 'report');
    const r = await cli(['--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=40', '--data', DATA, '--out', out, '--monte-carlo', '200', '--save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Final equity\s+[0-9,]+\.[0-9]{2}/);
    expect(r.stdout).toMatch(/Monte Carlo: 200 bootstrap paths/);
    expect(r.stdout).toMatch(/Stored as backtest run #[0-9]+/);
    const trades = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades[0]).toMatch(/^symbol,side,entry_time,exit_time,entry_price,exit_price,quantity,pnl/);
    expect(trades.length).toBeGreaterThan(1);
    const equity = readFileSync(join(out, 'equity.csv'), 'utf8').trim().split('\n');
    expect(equity[0]).toBe('time,equity,drawdown_pct');
    expect(equity.length).toBe(13_681 + 1);
    for (const png of ['equity.png', 'trades.png']) {
      const b = readFileSync(join(out, png));
      expect(b.subarray(0, 8).equals(PNG)).toBe(true);
      expect(statSync(join(out, png)).size).toBeGreaterThan(10_000);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('echarts.init');
    // The ECharts library itself is inlined (about 1 MB), not fetched.
    expect(html.length).toBeGreaterThan(500_000);
    expect(html).toMatch(/zrender/i);
    // The strategy's indicator series are drawn: the run kept them whole for the report.
    expect(html).toContain('SMA 10');
    expect(html).toContain('SMA 40');
    // Self-contained: no external scripts, styles or images.
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/<img[^>]+src="http/i);
  });

  it('sweeps a grid on worker threads and ranks it (--json)', async () => {
    const r = await cli(['--strategy', 'sma-cross', '--data', DATA, '--sweep', 'fast=5..15:5', '--sweep', 'slow=30..50:20', '--rank', 'returnPct', '--json', '--workers', '2']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { combinations: number; best: { params: Record<string, number>; returnPct: number }; top: Array<{ metrics: { returnPct: number } }> };
    expect(j.combinations).toBe(6);
    const returns = j.top.map((t) => t.metrics.returnPct);
    expect(returns).toEqual([...returns].sort((a, b) => b - a));
    expect(j.best.returnPct).toBe(returns[0]);
  });

  it('refuses a bad strategy name, a bad parameter and a broken data file with a clear message and exit code 2', async () => {
    const unknown = await cli(['--strategy', 'moonshot', '--data', DATA]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown strategy "moonshot"; available: .*rsi-bb/);
    const param = await cli(['--strategy', 'sma-cross', '--param', 'fast=abc', '--data', DATA]);
    expect(param.code).toBe(2);
    expect(param.stderr).toMatch(/invalid parameters for sma-cross: fast/);
    const broken = join(work, 'broken.csv');
    writeFileSync(broken, 'timestamp,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,10\n1700000060000,1,oops,0.5,1.5,10\n');
    const bad = await cli(['--strategy', 'sma-cross', '--data', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.csv line 3/);
    const missing = await cli(['--strategy', 'sma-cross', '--data', join(work, 'nope.csv')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/not found/);
    const noData = await cli(['--strategy', 'sma-cross']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/give --data FILE, or --symbol S with --timeframe TF/);
  });

  it('refuses a bad value of a variable it reads as `tradeops config` does; a bad value only the bot reads does not stop it', async () => {
    const run = (command: string, args: string[], extra: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
        execFile(process.execPath, [BIN, command, ...args], { cwd: work, env: { ...env, ...extra } }, (err, stdout, stderr) => res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    const problem = 'invalid configuration:\n  - KELLY_FRACTION: got "2" — expected a decimal number from 0.01 to 1\n';
    const kelly = await run('backtest', ['--strategy', 'rsi-bb', '--data', DATA, '--json'], { KELLY_FRACTION: '2' });
    expect(kelly.code).toBe(2);
    expect(kelly.stdout).toBe('');
    expect(kelly.stderr).toBe(`error: ${problem}`);
    const checked = await run('config', [], { KELLY_FRACTION: '2' });
    expect(checked.code).toBe(2);
    expect(checked.stderr).toBe(problem);
    // TICK_CRON is the engine's, refused by `config` (and `start`), not read by a backtest.
    const botOnly = { TICK_CRON: 'every minute' };
    expect((await run('config', [], botOnly)).stderr).toMatch(/^invalid configuration:\n {2}- TICK_CRON: got "every minute" — expected a node-cron expression/);
    const backtest = await run('backtest', ['--strategy', 'rsi-bb', '--data', DATA, '--json'], botOnly);
    expect(backtest.stderr).toBe('');
    expect(backtest.code).toBe(0);
    expect((JSON.parse(backtest.stdout) as { trades: number }).trades).toBeGreaterThan(0);
  });

  it('--symbol with EXCHANGE=sim and nothing stored backtests the seeded simulated market (same period, same result)', async () => {
    const args = ['--strategy', 'breakout', '--symbol', 'ETH/USDT', '--timeframe', '1h', '--from', '2024-01-01', '--to', '2024-02-29T23:00', '--json'];
    const a = await cli(args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout) as { start: number; end: number; symbol: string; trades: number; finalEquity: number };
    expect(j.symbol).toBe('ETH/USDT');
    expect(j.start).toBe(Date.UTC(2024, 0, 1));
    expect(j.end).toBe(Date.UTC(2024, 1, 29, 23));
    const b = JSON.parse((await cli(args)).stdout) as typeof j;
    expect(b.finalEquity).toBe(j.finalEquity);
    expect(b.trades).toBe(j.trades);
  });

  it('--help lists the options', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--walk-forward FOLDS/);
    expect(r.stdout).toMatch(/--sizing S/);
  });
});
