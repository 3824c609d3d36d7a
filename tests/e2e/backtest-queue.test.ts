/**
 * Backtest jobs on the PostgreSQL job queue with real processes: `tradeops backtest --sweep --queue`
 * sends one job per parameter set, two `tradeops worker` processes share them, and the ranked table
 * is the one a single process computes; a worker SIGKILLed in the middle of a job loses nothing —
 * the job is retried and completed by another worker.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.ts';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';
import { spawnBot, type BotProcess } from '../support/spawn-bot.ts';
import { inStderr } from '../support/trading-invariants.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/tradeops.js');
const DATA = join(ROOT, 'tests/fixtures/candles/freqtrade_UNITTEST_BTC-1m.json');
const work = mkdtempSync(join(tmpdir(), 'bt-queue-'));
const READY = /tradeops worker ready: (.*)\n/;

function backtest(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, 'backtest', ...args], { cwd: work, env: childEnv({ LOG_LEVEL: 'silent', DATA_DIR: join(work, 'cli-data'), ...env }), maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A deterministic random walk of `n` one-minute candles (a job on it takes seconds). */
function bigCandleFile(n: number): string {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = ['timestamp,open,high,low,close,volume'];
  let p = 100;
  for (let i = 0, t = Date.UTC(2020, 0, 1); i < n; i++, t += 60_000) {
    const o = p;
    p = Math.max(1, p * (1 + (rnd() - 0.5) * 0.01));
    rows.push(`${t},${o.toFixed(4)},${(Math.max(o, p) * 1.001).toFixed(4)},${(Math.min(o, p) * 0.999).toFixed(4)},${p.toFixed(4)},10`);
  }
  const file = join(work, `walk-${n}.csv`);
  writeFileSync(file, rows.join('\n'));
  return file;
}

const jobsDone = (w: BotProcess) => (w.stderr().match(/backtest job done/g) ?? []).length;

describe.skipIf(!pgServerUrl())('backtest jobs on the PostgreSQL queue (real processes)', () => {
  const procs: BotProcess[] = [];
  const dbs: Array<{ url: string; drop(): Promise<void> }> = [];
  afterAll(async () => {
    for (const p of procs) await p.stop('SIGKILL');
    for (const d of dbs) await d.drop();
  });
  const worker = (url: string) => {
    const w = spawnBot(['worker', '--concurrency', '1'], { DATABASE_URL: url, LOG_FORMAT: 'json', LOG_LEVEL: 'info', DATA_DIR: mkdtempSync(join(tmpdir(), 'bt-worker-')) });
    procs.push(w);
    return w;
  };

  it('a sweep split across two tradeops worker processes gives the same table as one process', async () => {
    const db = await createTempDatabase();
    dbs.push(db);
    const [a, b] = [worker(db.url), worker(db.url)];
    await Promise.all([a.waitFor(READY, 60_000), b.waitFor(READY, 60_000)]);
    const sweep = ['--strategy', 'sma-cross', '--data', DATA, '--sweep', 'fast=3..14:1', '--sweep', 'slow=30,50', '--rank', 'sharpe', '--json', '--top', '100'];
    const [local, queued] = await Promise.all([backtest([...sweep, '--workers', '1'], {}), backtest([...sweep, '--queue'], { DATABASE_URL: db.url })]);
    expect(queued.stderr).toBe('');
    expect(local.code).toBe(0);
    expect(queued.code).toBe(0);
    const l = JSON.parse(local.stdout) as { combinations: number; best: unknown; top: unknown[] };
    const q = JSON.parse(queued.stdout) as typeof l & { runId: number };
    expect(q.combinations).toBe(24);
    expect(q.top).toEqual(l.top);
    expect(q.best).toEqual(l.best);
    // Both workers took a share of the 24 jobs.
    expect(jobsDone(a)).toBeGreaterThan(0);
    expect(jobsDone(b)).toBeGreaterThan(0);
    expect(jobsDone(a) + jobsDone(b)).toBe(24);

    // Walk-forward folds are jobs too: the same folds as in one process.
    const wf = ['--strategy', 'sma-cross', '--data', DATA, '--sweep', 'fast=3..9:2', '--sweep', 'slow=30,50', '--walk-forward', '3', '--json'];
    const [wl, wq] = await Promise.all([backtest([...wf, '--workers', '1'], {}), backtest([...wf, '--queue'], { DATABASE_URL: db.url })]);
    expect(wq.code).toBe(0);
    expect((JSON.parse(wq.stdout) as { walkForward: unknown }).walkForward).toEqual((JSON.parse(wl.stdout) as { walkForward: unknown }).walkForward);

    // A single CLI backtest is one job: same metrics as the local run, the run stored by the worker.
    const single = ['--strategy', 'rsi-bb', '--data', DATA, '--symbol', 'BTC/USDT', '--json'];
    const [sl, sq] = await Promise.all([backtest(single, {}), backtest([...single, '--queue'], { DATABASE_URL: db.url })]);
    expect(sq.stderr).toBe('');
    expect(sq.code).toBe(0);
    const strip = (o: Record<string, unknown>) => {
      const { elapsedMs, runId, files, ...rest } = o;
      void [elapsedMs, runId, files];
      return rest;
    };
    const sj = JSON.parse(sq.stdout) as Record<string, unknown> & { runId: number; files: { dir: string } };
    expect(typeof sj.runId).toBe('number');
    expect(sj.files.dir).toMatch(new RegExp(`backtest-${sj.runId}$`));
    expect(strip(sj)).toEqual(strip(JSON.parse(sl.stdout) as Record<string, unknown>));
    const text = await backtest(['--strategy', 'rsi-bb', '--data', DATA, '--symbol', 'BTC/USDT', '--queue'], { DATABASE_URL: db.url });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Final equity\s+[0-9,]+\.[0-9]{2}[\s\S]*Stored as backtest run #\d+/);
    expect((await a.stop('SIGTERM')).code).toBe(0);
    expect((await b.stop('SIGTERM')).code).toBe(0);
  }, 180_000);

  it('a worker SIGKILLed in the middle of a job: the job is retried and completed by another worker', async () => {
    const db = await createTempDatabase();
    dbs.push(db);
    const file = bigCandleFile(200_000);
    const a = worker(db.url);
    await a.waitFor(READY, 60_000);
    // One walk-forward fold = one job that sweeps 150 parameter sets on 150,000 candles: seconds of
    // work even on a fast machine (20 sets finished within the second the test used to wait).
    const args = ['--strategy', 'sma-cross', '--data', file, '--symbol', 'X/USDT', '--sweep', 'fast=2..16:1', '--sweep', 'slow=40..49:1', '--walk-forward', '1', '--json'];
    const queued = backtest([...args, '--queue'], { DATABASE_URL: db.url });
    await inStderr(a, /backtest job started/, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(jobsDone(a)).toBe(0);
    await a.stop('SIGKILL');
    const killedAt = Date.now();
    const b = worker(db.url);
    await b.waitFor(READY, 60_000);
    const q = await queued;
    const retriedAfter = Date.now() - killedAt;
    expect(q.code).toBe(0);
    // Taken over after the dead worker's heartbeat lapsed: the second attempt, on the other worker.
    expect(b.stderr()).toMatch(/"attempt":2[^\n]*backtest job done|backtest job done[^\n]*"attempt":2/);
    // 10 s heartbeat + a 5 s supervise pass, then the job itself (seconds).
    expect(retriedAfter).toBeLessThan(45_000);
    const local = await backtest([...args, '--workers', '1'], {});
    expect((JSON.parse(q.stdout) as { walkForward: unknown }).walkForward).toEqual((JSON.parse(local.stdout) as { walkForward: unknown }).walkForward);
    expect((await b.stop('SIGTERM')).code).toBe(0);
  }, 180_000);
});

describe('backtest jobs on the embedded database (the same queue, in process)', () => {
  it('tradeops backtest --sweep --queue on PGlite works its own jobs and gives the same table', async () => {
    const sweep = ['--strategy', 'rsi-bb', '--data', DATA, '--sweep', 'rsiPeriod=10..16:2', '--rank', 'returnPct', '--json', '--top', '100', '--workers', '2'];
    const local = await backtest(sweep, {});
    const queued = await backtest([...sweep, '--queue'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'bt-queue-pglite-')) });
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    const q = JSON.parse(queued.stdout) as { runId: number; combinations: number; top: unknown[] };
    expect(q.combinations).toBe(4);
    expect(typeof q.runId).toBe('number');
    expect(q.top).toEqual((JSON.parse(local.stdout) as { top: unknown[] }).top);
  }, 120_000);

  it('tradeops backtest --queue (a single run) on PGlite runs its own job; --out needs a local run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bt-queue-pglite-'));
    const r = await backtest(['--strategy', 'sma-cross', '--data', DATA, '--queue', '--json'], { DATA_DIR: dataDir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { runId: number; trades: number; files: { equityPng: string } };
    expect(j.trades).toBeGreaterThan(0);
    expect(j.files.equityPng.startsWith(join(dataDir, 'backtests'))).toBe(true);
    const refused = await backtest(['--strategy', 'sma-cross', '--data', DATA, '--queue', '--out', join(work, 'x')], { DATA_DIR: dataDir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--out and --monte-carlo need the trades in this process/);
  }, 120_000);

  it('tradeops worker refuses to run without PostgreSQL, with a clear message', async () => {
    const w = spawnBot(['worker'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'bt-worker-pglite-')) });
    const { code } = await new Promise<{ code: number | null }>((res) => w.child.on('exit', (c) => res({ code: c })));
    expect(code).toBe(2);
    expect(w.stderr()).toMatch(/tradeops worker needs DATABASE_URL \(PostgreSQL\)/);
  }, 60_000);
});
