/**
 * End-to-end benchmark (issue 13): what a user runs, each in its own process, timed from outside.
 *
 * 1. `tradeops backtest --strategy rsi-bb --param bands=true --data FILE --fee 0.1% --json` on
 *    1,051,200 one-minute candles (a deterministic file: bench/support/synthetic-candles.ts, seed
 *    20240101, written once to the temp folder) against the usual Node way on the same file in the
 *    same run (bench/baselines/usual-node-file-backtest.ts: read the CSV, technicalindicators' RSI
 *    and Bollinger Bands, a loop). Wall time (median), peak resident memory (VmHWM). The command is
 *    run as an installed `tradeops` runs: bin/tradeops.js executed through its shebang (`env -S node
 *    OPTIONS`) with this Node first on the PATH.
 * 2. A started bot (`tradeops start`, no configuration: PGlite, sim, console off): time to the ready
 *    line on a new and on an existing data directory, resident memory (VmRSS) 60 s after ready; the
 *    same on PostgreSQL (a temporary database on the local server) when one answers.
 * 3. CLI start: `tradeops --version` direct (the bin file through its shebang) and through npx in a
 *    project that depends on tradeops (beside npx starting a bin there that does nothing).
 * 4. `tradeops import-candles` of 1,000,000 rows into PostgreSQL and into PGlite, end to end (the
 *    bin file through its shebang, as 1.).
 * 5. The file backtest of 1. against backtesting.py on the same file, when Python can import it.
 *
 * Every goal prints a PASS/FAIL line; the bench exits 1 on a FAIL. `BENCH_SETTLE_S=10` shortens the
 * 60 s wait while developing (the figure is then not the goal's). Needs the build (`npm run build`,
 * done here first).
 *
 *   node --import tsx bench/end-to-end.bench.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { startNodeOptions } from './support/start-options.ts';
import { syntheticCandles } from './support/synthetic-candles.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/tradeops.js');
const N = 1_051_200;
const IMPORT_ROWS = 1_000_000;
const SEED = 20240101;
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 60);
const PG_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const GOALS = {
  fileBacktestSpeedup: 3,
  fileBacktestPeakMb: 120,
  backtestingPySpeedup: 10,
  botRssPgliteMb: 200,
  botRssPostgresMb: 100,
  readyExistingS: 1,
  readyNewS: 2,
  versionNpxS: 0.15,
  importPostgresRowsPerS: 500_000,
  importPgliteRowsPerS: 200_000,
};

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });

// ---------- data files (deterministic, cached in the temp folder) ----------

async function candleFile(rows: number): Promise<string> {
  const path = join(tmpdir(), `tradeops-bench-${rows}-${SEED}.csv`);
  if (existsSync(path)) return path;
  const c = syntheticCandles(rows, SEED);
  const part = `${path}.part`;
  const out = createWriteStream(part);
  out.write('open_time,open,high,low,close,volume\n');
  const block: string[] = [];
  for (let i = 0; i < rows; i++) {
    block.push(`${c.ts[i]},${c.open[i]!.toFixed(2)},${c.high[i]!.toFixed(2)},${c.low[i]!.toFixed(2)},${c.close[i]!.toFixed(2)},${c.volume[i]!.toFixed(4)}\n`);
    if (block.length === 10_000 || i === rows - 1) {
      if (!out.write(block.join(''))) await once(out, 'drain');
      block.length = 0;
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(part, path);
  return path;
}

// ---------- measuring a child process ----------

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Measured {
  code: number | null;
  seconds: number;
  peakBytes: number;
  stdout: string;
  stderr: string;
}

/** Run a command to its end: wall time and peak resident memory (VmHWM, sampled until exit). */
async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const timer = setInterval(() => {
    const hwm = procStatus(child.pid!, 'VmHWM');
    if (hwm !== undefined && hwm > peak) peak = hwm;
  }, 5);
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  return { code, seconds, peakBytes: peak, stdout, stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const lines: string[] = [];
let failed = false;
function verdict(ok: boolean, text: string): void {
  const line = `${ok ? 'PASS' : 'FAIL'} ${text}`;
  console.log(line);
  lines.push(line);
  if (!ok) failed = true;
}

/** The PATH with this process's Node first: the `node` a shebang's `env` finds. */
const NODE_FIRST_PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(':');

/** A backtest command's series of runs: the median time, the peak memory and its printed result. */
interface Series {
  runs: Measured[];
  seconds: number;
  peakBytes: number;
  out: { trades: number; finalEquity: number; runId?: number };
}

/** Two commands alternately, `times` runs each (so both see the same machine); each must exit 0 and print a JSON result. */
async function alternate(a: () => Promise<Measured>, b: () => Promise<Measured>, times = 3): Promise<[Series, Series]> {
  const ra: Measured[] = [];
  const rb: Measured[] = [];
  for (let k = 0; k < times; k++) {
    ra.push(await a());
    rb.push(await b());
  }
  for (const r of [...ra, ...rb]) if (r.code !== 0) throw new Error(`a backtest process failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  const series = (runs: Measured[]): Series => ({ runs, seconds: median(runs.map((r) => r.seconds)), peakBytes: Math.max(...runs.map((r) => r.peakBytes)), out: JSON.parse(runs[0]!.stdout) as Series['out'] });
  return [series(ra), series(rb)];
}

function seriesLine(label: string, s: Series, extra?: string): string {
  return `  ${label.padEnd(19)} median ${s.seconds.toFixed(2)} s (runs ${s.runs.map((r) => r.seconds.toFixed(2)).join(', ')}), peak RSS ${mb(s.peakBytes)}, ${s.out.trades} trades${extra ? `, ${extra}` : ''}`;
}

function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: NODE_FIRST_PATH, HOME: process.env.HOME, LANG: process.env.LANG };
  return { ...env, HTTP_PORT: '0', CONSOLE: 'false', LOG_LEVEL: 'warn', ...extra };
}

// ---------- 1. file backtest vs the usual Node way ----------

const file = await candleFile(N);
console.log(`end-to-end benchmark — file ${file} (${N.toLocaleString('en-US')} one-minute candles, seed ${SEED})`);
// The bin file itself, as the installed command: its shebang gives Node its options.
const cliArgs = ['backtest', '--strategy', 'rsi-bb', '--param', 'bands=true', '--data', file, '--fee', '0.1%', '--json'];
const baseArgs = [...(process.features.typescript ? [] : ['--experimental-strip-types']), join(ROOT, 'bench/baselines/usual-node-file-backtest.ts'), file];
const cliRun = () => measure(BIN, cliArgs, botEnv({ DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-bt-')) }));
const [cli, base] = await alternate(cliRun, () => measure(process.execPath, baseArgs));
console.log(seriesLine('tradeops backtest', cli, `no database opened: ${cli.out.runId === undefined}`));
console.log(seriesLine('usual Node way', base));
verdict(base.seconds / cli.seconds >= GOALS.fileBacktestSpeedup, `file backtest end to end ≥ ${GOALS.fileBacktestSpeedup}× the usual Node way: ${(base.seconds / cli.seconds).toFixed(2)}× (${cli.seconds.toFixed(2)} s vs ${base.seconds.toFixed(2)} s)`);
verdict(cli.peakBytes <= GOALS.fileBacktestPeakMb * 1048576, `file backtest peak memory ≤ ${GOALS.fileBacktestPeakMb} MiB (about 2× the ${mb(6 * N * 8)} of columns; backtesting.py's goal): ${mb(cli.peakBytes)}`);

// ---------- 2. a started bot: ready time and resident memory ----------

interface BotRun {
  readySeconds: number;
  /** CPU seconds (user + system, all threads) the process used until ready: independent of other load. */
  readyCpuSeconds: number;
  rssBytes?: number;
}

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

const START_NODE_OPTIONS = startNodeOptions(ROOT);

async function startBot(env: NodeJS.ProcessEnv, settleSeconds: number): Promise<BotRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...START_NODE_OPTIONS, BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<number>((res, rej) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/tradeops ready:/.test(out)) res((performance.now() - t0) / 1000);
    });
    child.once('exit', (code) => rej(new Error(`the bot exited (${code}) before ready:\n${out.slice(-2000)}\n${err.slice(-2000)}`)));
  });
  const readyCpu = cpuSeconds(child.pid!);
  let rss: number | undefined;
  if (settleSeconds > 0) {
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    rss = procStatus(child.pid!, 'VmRSS');
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { readySeconds: ready, readyCpuSeconds: readyCpu, rssBytes: rss };
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
const fresh = await startBot(botEnv({ DATA_DIR: dataDir }), 0);
const existing = await startBot(botEnv({ DATA_DIR: dataDir }), SETTLE_S);
console.log(`  bot on PGlite: ready ${fresh.readySeconds.toFixed(2)} s (new data directory), ${existing.readySeconds.toFixed(2)} s (existing); CPU used until ready ${fresh.readyCpuSeconds.toFixed(2)} s / ${existing.readyCpuSeconds.toFixed(2)} s; resident ${mb(existing.rssBytes ?? 0)} ${SETTLE_S} s after ready`);
verdict(existing.readySeconds <= GOALS.readyExistingS, `ready ≤ ${GOALS.readyExistingS} s on an existing data directory: ${existing.readySeconds.toFixed(2)} s`);
verdict(fresh.readySeconds <= GOALS.readyNewS, `ready ≤ ${GOALS.readyNewS} s on a new data directory: ${fresh.readySeconds.toFixed(2)} s`);
verdict((existing.rssBytes ?? Infinity) <= GOALS.botRssPgliteMb * 1048576, `bot resident memory (PGlite, sim, no configuration) ${SETTLE_S} s after ready ≤ ${GOALS.botRssPgliteMb} MiB: ${mb(existing.rssBytes ?? 0)}${SETTLE_S === 60 ? '' : ' (shortened wait)'}`);

const { default: postgres } = await import('postgres');
async function tempPgDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = postgres(PG_SERVER, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    const name = `tradeops_bench_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(PG_SERVER);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } catch {
    await admin.end().catch(() => undefined);
    return undefined;
  }
}

const pgBot = await tempPgDatabase();
if (pgBot) {
  try {
    await startBot(botEnv({ DATABASE_URL: pgBot.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-bot-pg-')) }), 0); // migrations
    const run = await startBot(botEnv({ DATABASE_URL: pgBot.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-bot-pg-')) }), SETTLE_S);
    console.log(`  bot on PostgreSQL: ready ${run.readySeconds.toFixed(2)} s; resident ${mb(run.rssBytes ?? 0)} ${SETTLE_S} s after ready`);
    verdict((run.rssBytes ?? Infinity) <= GOALS.botRssPostgresMb * 1048576, `bot resident memory (PostgreSQL) ${SETTLE_S} s after ready ≤ ${GOALS.botRssPostgresMb} MiB: ${mb(run.rssBytes ?? 0)}${SETTLE_S === 60 ? '' : ' (shortened wait)'}`);
  } finally {
    await pgBot.drop();
  }
} else {
  console.log(`SKIP bot on PostgreSQL: no server answers at ${PG_SERVER.replace(/:[^:@/]+@/, ':***@')}`);
}

// ---------- 3. CLI start ----------

const npx = [dirname(process.execPath), ...(process.env.PATH ?? '').split(':')].map((d) => join(d, 'npx')).find((p) => existsSync(p)) ?? 'npx';
// npx as a user runs it: in a project that has tradeops as a dependency (in this repository itself
// npm takes its slower "run the package's own bin" path). Beside it a bin that does nothing: the
// time npx needs to start any installed command.
const project = mkdtempSync(join(tmpdir(), 'tradeops-npx-'));
writeFileSync(join(project, 'package.json'), '{"name":"npx-user","version":"1.0.0","private":true}\n');
mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
symlinkSync(ROOT, join(project, 'node_modules/tradeops'));
symlinkSync('../tradeops/bin/tradeops.js', join(project, 'node_modules/.bin/tradeops'));
writeFileSync(join(project, 'node_modules/.bin/nothing'), '#!/usr/bin/env node\n', { mode: 0o755 });
const direct: number[] = [];
const viaNpx: number[] = [];
const npxFloor: number[] = [];
for (let k = 0; k < 7; k++) {
  direct.push((await measure(BIN, ['--version'], botEnv({}))).seconds);
  if (existsSync(npx)) {
    const r = await measure(npx, ['--no-install', 'tradeops', '--version'], { ...process.env, PATH: NODE_FIRST_PATH }, project);
    if (r.code !== 0 || !/\d+\.\d+\.\d+/.test(r.stdout)) throw new Error(`npx tradeops --version failed (${r.code}): ${r.stderr}`);
    viaNpx.push(r.seconds);
    npxFloor.push((await measure(npx, ['--no-install', 'nothing'], { ...process.env, PATH: NODE_FIRST_PATH }, project)).seconds);
  }
}
rmSync(project, { recursive: true, force: true });
const bare: number[] = [];
for (let k = 0; k < 7; k++) bare.push((await measure(process.execPath, ['-e', '0'])).seconds);
console.log(`  tradeops --version: ${median(direct).toFixed(3)} s direct (a bare \`node -e 0\` takes ${median(bare).toFixed(3)} s here)${viaNpx.length ? `, ${median(viaNpx).toFixed(3)} s through npx in a project that depends on tradeops; npx starting a bin that does nothing there: ${median(npxFloor).toFixed(3)} s` : ''}`);
if (viaNpx.length) verdict(median(viaNpx) <= GOALS.versionNpxS, `tradeops --version through npx ≤ ${GOALS.versionNpxS} s: ${median(viaNpx).toFixed(3)} s (npx alone, starting a bin that does nothing: ${median(npxFloor).toFixed(3)} s; direct ${median(direct).toFixed(3)} s)`);

// ---------- 4. imports of 1,000,000 rows ----------

/**
 * The yardstick for "database speed": PostgreSQL's own COPY of the same rows, through psql, into a
 * new table like candles (same columns and primary key). Whatever import-candles adds on top of it
 * (reading and checking the file, encoding, the transaction) is the ratio printed next to it.
 */
async function serverCopySeconds(url: string, csv: string): Promise<number | undefined> {
  const psql = [dirname(process.execPath), ...(process.env.PATH ?? '').split(':')].map((d) => join(d, 'psql')).find((p) => existsSync(p));
  if (!psql) return undefined;
  const rows = `${csv}.keyed`;
  if (!existsSync(rows)) {
    const lines = readFileSync(csv, 'utf8').split('\n').slice(1).filter(Boolean);
    writeFileSync(rows, lines.map((l) => `bench,BTC/USDT,1m,${l}`).join('\n') + '\n');
  }
  execFileSync(psql, [url, '-qc', 'create table copy_yardstick (like candles including all)']);
  const r = await measure(psql, [url, '-qc', `\\copy copy_yardstick (exchange, symbol, timeframe, ts, open, high, low, close, volume) from '${rows}' csv`]);
  execFileSync(psql, [url, '-qc', 'drop table copy_yardstick']);
  return r.code === 0 ? r.seconds : undefined;
}

const importFile = await candleFile(IMPORT_ROWS);
const importArgs = ['import-candles', importFile, '--symbol', 'BTC/USDT', '--timeframe', '1m', '--exchange', 'bench'];
const pgImport = await tempPgDatabase();
if (pgImport) {
  try {
    const r = await measure(BIN, [...importArgs, '--database-url', pgImport.url], botEnv({}));
    if (r.code !== 0) throw new Error(`import into PostgreSQL failed: ${r.stderr}`);
    const again = await measure(BIN, [...importArgs, '--database-url', pgImport.url], botEnv({}));
    const rate = IMPORT_ROWS / r.seconds;
    console.log(`  import-candles → PostgreSQL: ${r.seconds.toFixed(2)} s end to end (${Math.round(rate).toLocaleString('en-US')} rows/s), peak RSS ${mb(r.peakBytes)}; again (all duplicates) ${again.seconds.toFixed(2)} s`);
    verdict(rate >= GOALS.importPostgresRowsPerS, `import-candles 1,000,000 rows into PostgreSQL ≥ ${GOALS.importPostgresRowsPerS.toLocaleString('en-US')} rows/s: ${Math.round(rate).toLocaleString('en-US')} rows/s`);
    const server = await serverCopySeconds(pgImport.url, importFile);
    if (server !== undefined) {
      console.log(`  the server's own COPY of the same rows (psql \\copy, CSV, into a table like candles with its primary key): ${server.toFixed(2)} s (${Math.round(IMPORT_ROWS / server).toLocaleString('en-US')} rows/s) — import-candles end to end takes ${(r.seconds / server).toFixed(2)}× that`);
    } else {
      console.log('  (psql not found: no yardstick of the server\'s own COPY speed)');
    }
  } finally {
    await pgImport.drop();
  }
} else {
  console.log('SKIP import into PostgreSQL: no server answers');
}
const pgliteDir = mkdtempSync(join(tmpdir(), 'bench-import-'));
const lite = await measure(BIN, [...importArgs, '--data-dir', pgliteDir], botEnv({}));
if (lite.code !== 0) throw new Error(`import into PGlite failed: ${lite.stderr}`);
const liteRate = IMPORT_ROWS / lite.seconds;
console.log(`  import-candles → PGlite (new data directory): ${lite.seconds.toFixed(2)} s end to end (${Math.round(liteRate).toLocaleString('en-US')} rows/s), peak RSS ${mb(lite.peakBytes)}`);
verdict(liteRate >= GOALS.importPgliteRowsPerS, `import-candles 1,000,000 rows into PGlite ≥ ${GOALS.importPgliteRowsPerS.toLocaleString('en-US')} rows/s: ${Math.round(liteRate).toLocaleString('en-US')} rows/s`);
rmSync(pgliteDir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });

// ---------- 5. the same file backtest against backtesting.py ----------

/**
 * backtesting.py (the Python library users pick) runs the same strategy on the same file
 * (bench/baselines/rsi-bb-backtesting-py.py, same rules, fills and fee) when the Python named by
 * BACKTESTING_PY_PYTHON (default python3) can import it; the two commands alternate, three runs
 * each. Goal: ≥ 10× faster end to end (the peak-memory goal is checked in 1.).
 */
const python = process.env.BACKTESTING_PY_PYTHON ?? 'python3';
let pythonMissing = '';
try {
  execFileSync(python, ['-c', 'import numpy, pandas, backtesting.lib'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  const e = err as { stderr?: Buffer; message: string };
  pythonMissing = (e.stderr?.toString().trim().split('\n').pop() ?? '') || e.message;
}
if (pythonMissing) {
  console.log(`SKIP backtesting.py comparison: ${python} cannot import numpy, pandas and backtesting (pip install backtesting; BACKTESTING_PY_PYTHON names another Python): ${pythonMissing}`);
} else {
  const pyArgs = [join(ROOT, 'bench/baselines/rsi-bb-backtesting-py.py'), file];
  const [mine, py] = await alternate(cliRun, () => measure(python, pyArgs));
  console.log(seriesLine('tradeops backtest', mine, `final equity ${mine.out.finalEquity.toFixed(2)}`));
  console.log(seriesLine('backtesting.py', py, `final equity ${py.out.finalEquity.toFixed(2)}`));
  verdict(py.seconds / mine.seconds >= GOALS.backtestingPySpeedup, `file backtest end to end ≥ ${GOALS.backtestingPySpeedup}× backtesting.py: ${(py.seconds / mine.seconds).toFixed(1)}× (${mine.seconds.toFixed(2)} s vs ${py.seconds.toFixed(2)} s)`);
}
process.exit(failed ? 1 : 0);
