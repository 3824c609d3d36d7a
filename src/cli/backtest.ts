import { basename, join, resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Database } from '../adapters/db/client.ts';
import type { BacktestRunsRepository } from '../adapters/db/repositories/backtest-runs.ts';
import { parseBacktestArgs, BACKTEST_HELP, type BacktestArgs } from '../backtest/cli/args.ts';
import { createProgressBar, type ProgressBar } from './progress-bar.ts';
import { formatSummaryTable, resultJson } from '../backtest/report/summary.ts';
import { runBacktest } from '../backtest/run-backtest.ts';
import type { SweepAxis, SweepResult } from '../backtest/sweep.ts';
import type { BacktestResult } from '../backtest/types.ts';
import type { WalkForwardOptions, WalkForwardResult } from '../backtest/walk-forward.ts';
import type { PortableOptions } from '../backtest/worker/protocol.ts';
import type { Candles } from '../domain/candles.ts';
import { sliceCandles } from '../domain/candles.ts';
import { inferCalendar } from '../backtest/calendar.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { loadStrategyCatalog, parseStrategyParams } from '../strategies/registry.ts';
import { envOf, type CliIo } from './io.ts';
import { backtestRiskFrom, kellySettingsFrom } from '../app/risk-settings.ts';

/**
 * `tradeops backtest`: one run (summary table or `--json`, reports with `--out`, Monte Carlo), a
 * parameter sweep on worker threads, or walk-forward folds. A run on stored candles, or on a file
 * with --save, is stored in backtest_runs; a file run without --save opens no database. What only
 * some runs use (stored candles, Monte Carlo, sweeps, walk-forward, their output) is imported when
 * used: a file backtest loads the reader, the strategy and the run.
 * Returns the exit code: 0 done, 2 for what the user can fix, 1 for anything else.
 */
export async function runBacktestCommand(argv: string[], io: CliIo): Promise<number> {
  let database: Database | undefined;
  let runs: BacktestRunsRepository | undefined;
  let runId: number | undefined;
  try {
    const args = parseBacktestArgs(argv);
    if (args.help) {
      io.stdout.write(BACKTEST_HELP);
      return 0;
    }
    // Only the variables a backtest reads (src/config-backtest.ts): not the bot's whole schema.
    const { loadBacktestConfig } = await import('../config-backtest.ts');
    const config = loadBacktestConfig(await envOf(io));
    const catalog = await loadStrategyCatalog(config.STRATEGIES_DIR);
    const def = catalog.get(args.strategy!);
    // Check the parameters before any data is read: a typo fails fast.
    if (args.sweep.length === 0) parseStrategyParams(def, args.params);

    // A file backtest needs no database: it is opened only to read stored candles or to store the run.
    if (args.save || args.queue) {
      const { openDatabase } = await import('../adapters/db/client.ts');
      const { migrate } = await import('../adapters/db/migrate.ts');
      database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
      await migrate(database);
      const { BacktestRunsRepository } = await import('../adapters/db/repositories/backtest-runs.ts');
      runs = new BacktestRunsRepository(database.db);
    }

    const { candles, symbol, timeframe } = await loadCandles(args, config, database);
    const lower = args.lower ? await readFile(args.lower) : undefined;
    const options = {
      symbol,
      timeframe,
      cash: args.cash,
      fee: args.fee,
      slippage: args.slippage,
      spread: args.spread,
      fill: args.fill,
      sizing: args.sizing,
      lot: args.lot,
      allowShort: args.allowShort,
      periodsPerYear: args.periodsPerYear,
      kelly: kellySettingsFrom(config),
      ...(args.risk ? { risk: backtestRiskFrom(config, args.panicGate) } : {}),
    };
    const single = args.queue && args.sweep.length === 0;
    const run = await runs?.create({
      source: 'cli',
      status: single ? 'queued' : 'running',
      strategy: def.name,
      symbol,
      timeframe: timeframe ?? inferCalendar(candles.ts).timeframe,
      fromTs: candles.ts[0],
      toTs: candles.ts[candles.length - 1],
      params: args.params,
      options: { ...options, data: args.data, sweep: args.sweep.length ? args.sweep : undefined, walkForward: args.walkForward, monteCarlo: args.monteCarlo },
    });
    runId = run?.id;

    const queued = args.queue && database ? { database, url: config.DATABASE_URL, dataDir: config.dataDir, runs: runs! } : undefined;
    if (single && queued) return await queuedRunCommand(args, io, candles, lower, config.STRATEGIES_DIR, queued, runId!);
    if (args.sweep.length > 0) return await sweepCommand(args, io, def.name, candles, lower, options, config.STRATEGIES_DIR, runs, runId, queued);

    const bar = fractionBar(args.json ? undefined : createProgressBar(io.stderr, { label: `${def.name} ${symbol}`, total: PROGRESS_STEPS }));
    // Whole indicator series and the whole equity curve only for the reports (--out): the summary and
    // --json print metrics, which the run folds in chunk by chunk.
    const reports = args.out !== undefined;
    const result = runBacktest({ ...options, candles, lowerTimeframe: lower, strategy: def, params: args.params, indicators: reports, equityCurve: reports, onProgress: bar.update });
    bar.done();
    const mc = args.monteCarlo ? (await import('../backtest/monte-carlo.ts')).monteCarlo(result.tradeList, result.initialEquity, args.monteCarlo) : undefined;
    let files: Record<string, string> | undefined;
    if (args.out) {
      const { writeBacktestReport } = await import('../backtest/report/write-report.ts');
      const { dir, ...paths } = await writeBacktestReport(args.out, result, candles);
      files = { dir, ...paths };
    }
    if (runs && runId !== undefined) await runs.finish(runId, metricsRecord(result), { summary: (await import('../backtest/report/summary.ts')).formatChatSummary(result), chartPath: files?.equityPng, dir: files?.dir });
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ ...(runId !== undefined ? { runId } : {}), ...resultJson(result, files), ...(mc ? { monteCarlo: mc } : {}) })}\n`);
    } else {
      io.stdout.write(formatSummaryTable(result));
      if (mc) io.stdout.write(`\n${(await import('../backtest/cli/output.ts')).formatMonteCarlo(mc)}`);
      if (files) io.stdout.write(`\nReports in ${files.dir}: trades.csv, equity.csv, equity.png, trades.png, monthly.png, report.html (open it in a browser)\n`);
      if (runId !== undefined) io.stdout.write(`Stored as backtest run #${runId}.\n`);
    }
    return 0;
  } catch (err) {
    if (runs && runId !== undefined) await runs.fail(runId, errorText(err)).catch(() => undefined);
    io.stderr.write(`error: ${errorText(err)}\n`);
    return isAppError(err) || (err as { name?: string })?.name === 'ConfigError' ? 2 : 1;
  } finally {
    await database?.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readFile(path: string): Promise<Candles> {
  const { readCandleFile } = await import('../adapters/files/candle-file-reader.ts');
  return readCandleFile(path);
}

/** Rows whose open time is within [from, to] (views, no copy). */
function clip(c: Candles, from?: number, to?: number): Candles {
  let a = 0;
  let b = c.length;
  if (from !== undefined) while (a < b && c.ts[a]! < from) a++;
  if (to !== undefined) while (b > a && c.ts[b - 1]! > to) b--;
  return sliceCandles(c, a, b);
}

async function loadCandles(
  args: BacktestArgs,
  config: { EXCHANGE: string; SIM_SEED: number; EXCHANGE_MARKET: 'spot' | 'swap' },
  database: Database | undefined,
): Promise<{ candles: Candles; symbol: string; timeframe?: string }> {
  let candles: Candles;
  let symbol: string;
  if (args.data) {
    candles = clip(await readFile(args.data), args.from, args.to);
    symbol = args.symbol ?? basename(args.data).replace(/\.[^.]+$/, '');
    if (candles.length === 0) throw new AppError('BAD_REQUEST', `${basename(args.data)} holds no candle${args.from !== undefined || args.to !== undefined ? ' in the requested period' : ''}`);
    return { candles, symbol, timeframe: args.timeframe };
  }
  symbol = args.symbol!;
  const exchange = args.exchange ?? config.EXCHANGE;
  const req = { exchange, symbol, timeframe: args.timeframe!, from: args.from, to: args.to };
  const { loadStoredCandles, simHistoryCandles } = await import('../backtest/load-candles.ts');
  candles = await loadStoredCandles(database!, req);
  if (candles.length === 0) {
    if (exchange !== 'sim') {
      throw new AppError('NOT_FOUND', `no stored ${args.timeframe} candles for ${symbol} on ${exchange}${args.from !== undefined ? ' in that period' : ''}: run tradeops fetch-data --exchange ${exchange} --symbol ${symbol} --timeframe ${args.timeframe} first`);
    }
    const { SIM_HISTORY_CANDLES } = await import('../app/build-exchange.ts');
    candles = await simHistoryCandles({ seed: config.SIM_SEED, symbol, timeframe: args.timeframe!, from: args.from, to: args.to, defaultCount: SIM_HISTORY_CANDLES, marketType: config.EXCHANGE_MARKET });
  }
  return { candles, symbol, timeframe: args.timeframe };
}

function metricsRecord(r: BacktestResult): Record<string, number | string | null> {
  const j = resultJson(r) as Record<string, unknown>;
  const out: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(j)) if (typeof v === 'number' || typeof v === 'string' || v === null) out[k] = v;
  return out;
}

async function sweepCommand(
  args: BacktestArgs,
  io: CliIo,
  strategy: string,
  candles: Candles,
  lower: Candles | undefined,
  options: Record<string, unknown> & { symbol: string; timeframe?: string },
  strategiesDir: string | undefined,
  runs: BacktestRunsRepository | undefined,
  runId: number | undefined,
  queued?: QueueTarget,
): Promise<number> {
  const { formatSweep, formatWalkForward } = await import('../backtest/cli/output.ts');
  const { heatmapCells } = await import('../backtest/sweep.ts');
  const engine = queued ? await queuedEngine(args, io, candles, lower, strategiesDir, queued) : await localEngine(args, candles, lower, strategiesDir);
  const bar = fractionBar(args.json ? undefined : createProgressBar(io.stderr, { label: args.walkForward ? 'walk-forward' : 'sweep', total: PROGRESS_STEPS }));
  try {
    const portable = { ...options } as never;
    if (args.walkForward) {
      const wf = await engine.walkForward(strategy, args.sweep, args.params, portable, args.rank, { folds: args.walkForward }, (d, t) => bar.update(d / t));
      bar.done();
      const last = wf.folds.at(-1)!;
      if (runs && runId !== undefined) await runs.finish(runId, { outOfSampleReturnPct: wf.outOfSampleReturnPct, outOfSampleAvgScore: wf.outOfSampleAvgScore, folds: wf.folds.length, rankBy: wf.rankBy }, { summary: `walk-forward ${wf.folds.length} folds: out-of-sample return ${wf.outOfSampleReturnPct.toFixed(2)} %, last best ${JSON.stringify(last.bestParams)}` });
      if (args.json) io.stdout.write(`${JSON.stringify({ ...(runId !== undefined ? { runId } : {}), walkForward: wf })}\n`);
      else io.stdout.write(`${formatWalkForward(wf)}${runId !== undefined ? `Stored as backtest run #${runId}.\n` : ''}`);
      return 0;
    }
    const sweep = await engine.sweep(strategy, args.sweep, args.params, portable, args.rank, (d, t) => bar.update(d / t));
    bar.done();
    const best = sweep.rows[0]!;
    const files: Record<string, string> = {};
    const cells = heatmapCells(sweep);
    if (args.out) {
      const dir = resolve(args.out);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'sweep.json'), JSON.stringify(sweep, null, 1));
      files.sweepJson = join(dir, 'sweep.json');
      if (cells) {
        const { renderChartPng } = await import('../backtest/report/render-png.ts');
        const { heatmapOption } = await import('../backtest/report/chart-options.ts');
        const [ax, ay] = sweep.axes as [typeof sweep.axes[0], typeof sweep.axes[0]];
        const png = await renderChartPng(heatmapOption(`${strategy}: ${sweep.rankBy} by ${ax.name} × ${ay.name}`, ax.name, cells.xs, ay.name, cells.ys, cells.cells), 1000, 700);
        files.heatmapPng = join(dir, 'heatmap.png');
        await writeFile(files.heatmapPng, png);
      }
    }
    if (runs && runId !== undefined) await runs.finish(runId, { ...(best.metrics as unknown as Record<string, number | null>), combinations: sweep.rows.length, rankBy: sweep.rankBy }, { summary: `sweep of ${sweep.rows.length} combinations by ${sweep.rankBy}: best ${JSON.stringify(best.params)}`, chartPath: files.heatmapPng, dir: args.out ? resolve(args.out) : undefined });
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ ...(runId !== undefined ? { runId } : {}), rankBy: sweep.rankBy, combinations: sweep.rows.length, best: { params: best.params, ...best.metrics }, top: sweep.rows.slice(0, args.top), ...(args.out ? { files } : {}) })}\n`);
    } else {
      io.stdout.write(formatSweep(sweep, args.top));
      if (files.heatmapPng) io.stdout.write(`Heatmap: ${files.heatmapPng}\n`);
      if (runId !== undefined) io.stdout.write(`Stored as backtest run #${runId}.\n`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}

/** Where a sweep's runs execute: this process's worker threads, or jobs on the database queue. */
interface SweepEngine {
  sweep(strategy: string, axes: SweepAxis[], base: Record<string, unknown>, options: PortableOptions, rankBy: string, onProgress: (done: number, total: number) => void): Promise<SweepResult>;
  walkForward(strategy: string, axes: SweepAxis[], base: Record<string, unknown>, options: PortableOptions, rankBy: string, wf: WalkForwardOptions, onFold: (done: number, total: number) => void): Promise<WalkForwardResult>;
  close(): Promise<void>;
}

async function localEngine(args: BacktestArgs, candles: Candles, lower: Candles | undefined, strategiesDir: string | undefined): Promise<SweepEngine> {
  const { createWorkerPool } = await import('../backtest/worker/worker-pool.ts');
  const { toSharedCandles } = await import('../backtest/worker/protocol.ts');
  const { runSweep } = await import('../backtest/sweep.ts');
  const { runWalkForward } = await import('../backtest/walk-forward.ts');
  const pool = createWorkerPool({ size: args.workers, candles: toSharedCandles(candles), lower: lower ? toSharedCandles(lower) : undefined, strategiesDir });
  return {
    sweep: (...a) => runSweep(pool, ...a),
    walkForward: (...a) => runWalkForward(pool, candles.length, ...a),
    close: () => pool.close(),
  };
}

/**
 * `--queue`: one job per parameter set (per fold for walk-forward) on the database job queue. On
 * PostgreSQL any worker or bot takes them; on the embedded database no other process can open it,
 * so this process works its own jobs (the same queue, in process).
 */
async function queuedEngine(args: BacktestArgs, io: CliIo, candles: Candles, lower: Candles | undefined, strategiesDir: string | undefined, q: QueueTarget): Promise<SweepEngine> {
  const { runQueuedSweep, runQueuedWalkForward } = await import('../backtest/jobs/queued-runs.ts');
  const here = await openQueueHere(args, io, strategiesDir, q);
  return {
    sweep: (strategy, axes, base, options, rankBy, onProgress) => runQueuedSweep(here.deps, candles, lower, strategy, axes, base, options, rankBy, onProgress),
    walkForward: (strategy, axes, base, options, rankBy, wf, onFold) => runQueuedWalkForward(here.deps, candles, lower, strategy, axes, base, options, rankBy, wf, onFold),
    close: () => here.close(),
  };
}

type QueueTarget = { database: Database; url?: string; dataDir: string; runs: BacktestRunsRepository };

/**
 * The job queue for this command. On the embedded database no other process can open it, so this
 * process also works the jobs (the same queue, in process); on PostgreSQL the workers and bots do.
 */
async function openQueueHere(args: BacktestArgs, io: CliIo, strategiesDir: string | undefined, q: QueueTarget) {
  const { openPgBossQueue } = await import('../adapters/queue/pg-boss-queue.ts');
  const { createDbBacktestDatasets } = await import('../adapters/db/repositories/backtest-datasets.ts');
  const queue = await openPgBossQueue({ database: q.database, url: q.url });
  const datasets = createDbBacktestDatasets(q.database.db);
  let worker: { stop(): Promise<void> } | undefined;
  try {
    if (queue.backend === 'pglite') {
      const { createBacktestJobWorker } = await import('../backtest/jobs/job-worker.ts');
      const { availableParallelism } = await import('node:os');
      const w = createBacktestJobWorker({ queue, datasets, runs: q.runs, concurrency: args.workers ?? availableParallelism(), strategiesDir, reportsDir: join(q.dataDir, 'backtests') });
      await w.start();
      worker = w;
    }
  } catch (err) {
    await queue.stop();
    throw err;
  }
  return {
    deps: { queue, datasets, onIdle: () => io.stderr.write('\nno worker has taken a job yet: start `tradeops worker` (or the bot) on this database\n') },
    async close() {
      await queue.stop();
      await worker?.stop();
    },
  };
}

/** `--queue` without --sweep: the stored run as one job; prints what a local run prints. */
async function queuedRunCommand(args: BacktestArgs, io: CliIo, candles: Candles, lower: Candles | undefined, strategiesDir: string | undefined, q: QueueTarget, runId: number): Promise<number> {
  const { runQueuedBacktest } = await import('../backtest/jobs/queued-runs.ts');
  const here = await openQueueHere(args, io, strategiesDir, q);
  try {
    const out = await runQueuedBacktest(here.deps, runId, candles, lower);
    if (out.status !== 'done') {
      io.stderr.write(`error: ${(await q.runs.get(runId))?.error ?? 'the backtest failed on the worker'}\n`);
      return 1;
    }
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ runId, ...out.result })}\n`);
    } else {
      io.stdout.write(out.table ?? '');
      const dir = (out.result?.files as { dir?: string } | undefined)?.dir;
      if (dir) io.stdout.write(`\nReports (written by the worker) in ${dir}\n`);
      io.stdout.write(`Stored as backtest run #${runId}.\n`);
    }
    return 0;
  } finally {
    await here.close();
  }
}

const PROGRESS_STEPS = 1000;

/** The shared progress bar driven by a 0..1 fraction; silent with --json (stdout stays one object). */
function fractionBar(bar: ProgressBar | undefined): { update(fraction: number): void; done(): void } {
  return {
    update: (f) => bar?.update(Math.round(Math.max(0, Math.min(1, f)) * PROGRESS_STEPS)),
    done: () => bar?.finish(),
  };
}
