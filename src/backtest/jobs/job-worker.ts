import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BacktestRunsRepository } from '../../adapters/db/repositories/backtest-runs.ts';
import type { Candles } from '../../domain/candles.ts';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import type { BacktestDatasets } from '../../ports/backtest-datasets.ts';
import type { JobKind, JobQueue, QueuedJob } from '../../ports/job-queue.ts';
import { formatChatSummary, formatSummaryTable, resultJson } from '../report/summary.ts';
import { metricsOf } from '../sweep.ts';
import { runFold } from '../walk-forward.ts';
import type { PortableOptions } from '../worker/protocol.ts';
import type { WorkerPool } from '../worker/worker-pool.ts';
import { fromJsonSafe, toJsonSafe } from './json-numbers.ts';
import type { BacktestRunJob, JobCandles, SweepCellJob, WalkForwardFoldJob } from './job-types.ts';

/** The execution model of chat runs (the CLI's defaults). */
export const CHAT_RUN_DEFAULTS: PortableOptions = { cash: 10_000, fee: '0.1%', slippage: '0', fill: 'next-open', sizing: 'all-in' };
/** Progress is written to the database at most every this much. */
const PROGRESS_STEP = 0.05;
/** Worker pools kept for candle sets no job uses at the moment (a sweep's next job reuses its pool)… */
const IDLE_POOLS = 2;
/** …for at most this long: an idle bot holds no backtest thread. */
const IDLE_MS = 60_000;

export interface BacktestJobWorkerDeps {
  queue: JobQueue;
  datasets: BacktestDatasets;
  runs: BacktestRunsRepository;
  /** Jobs this process runs at once (each on its own worker thread). */
  concurrency: number;
  /** STRATEGIES_DIR, so the worker threads find user strategies too. */
  strategiesDir?: string;
  /** Where each run's report goes (`<dir>/backtest-<id>/`). */
  reportsDir: string;
  defaults?: PortableOptions;
  logger?: Logger;
}

export interface BacktestJobWorker {
  /** Start taking jobs from every backtest queue. */
  start(): Promise<void>;
  /** Stop taking jobs; jobs in hand finish or, past the queue's stop timeout, are retried elsewhere. */
  stop(): Promise<void>;
}

interface PoolEntry {
  key: string;
  ready: Promise<{ candles: Candles; pool: WorkerPool }>;
  users: number;
  lastUsed: number;
}

/**
 * Runs backtest jobs from the queue — in the bot (every process, leader or standby), in
 * `tradeops worker`, and in a CLI sweep on the embedded database. Candles come from
 * backtest_datasets and are loaded once per set into a pool of worker threads that share them, so
 * the trading thread of a bot never runs a backtest itself.
 */
export function createBacktestJobWorker(d: BacktestJobWorkerDeps): BacktestJobWorker {
  const concurrency = Math.max(1, Math.floor(d.concurrency));
  const pools = new Map<string, PoolEntry>();
  let stopping = false;

  const loadSet = async (id: string): Promise<Candles> => {
    const c = await d.datasets.get(id);
    if (!c) throw new AppError('NOT_FOUND', `the candles of this job (${id.slice(0, 19)}…) are no longer stored`);
    return c;
  };

  const acquire = async (c: JobCandles): Promise<PoolEntry & { value: { candles: Candles; pool: WorkerPool } }> => {
    const key = `${c.dataset}|${c.lower ?? ''}`;
    let entry = pools.get(key);
    if (!entry) {
      entry = {
        key,
        users: 0,
        lastUsed: Date.now(),
        ready: (async () => {
          const [candles, lower] = await Promise.all([loadSet(c.dataset), c.lower ? loadSet(c.lower) : undefined]);
          const { createWorkerPool } = await import('../worker/worker-pool.ts');
          const { toSharedCandles } = await import('../worker/protocol.ts');
          return { candles, pool: createWorkerPool({ size: concurrency, candles: toSharedCandles(candles), lower: lower ? toSharedCandles(lower) : undefined, strategiesDir: d.strategiesDir }) };
        })(),
      };
      pools.set(key, entry);
      entry.ready.catch(() => pools.delete(key));
    }
    entry.users++;
    try {
      return Object.assign(entry, { value: await entry.ready });
    } catch (err) {
      entry.users--;
      throw err;
    }
  };

  const close = (e: PoolEntry) => {
    pools.delete(e.key);
    void e.ready.then((v) => v.pool.close()).catch(() => undefined);
  };
  const closeIdle = () => {
    const now = Date.now();
    for (const e of [...pools.values()]) if (e.users === 0 && now - e.lastUsed >= IDLE_MS) close(e);
  };
  const release = (entry: PoolEntry) => {
    entry.users--;
    entry.lastUsed = Date.now();
    const idle = [...pools.values()].filter((e) => e.users === 0).sort((a, b) => b.lastUsed - a.lastUsed);
    for (const e of idle.slice(IDLE_POOLS)) close(e);
    setTimeout(closeIdle, IDLE_MS + 100).unref();
  };

  const withPool = async <R>(c: JobCandles, fn: (v: { candles: Candles; pool: WorkerPool }) => Promise<R>): Promise<R> => {
    const entry = await acquire(c);
    try {
      return await fn(entry.value);
    } finally {
      release(entry);
    }
  };

  /** A chat run: the stored row moves running → done | failed; a failure is the run's, not the job's. */
  const runJob = async (job: BacktestRunJob): Promise<object> => {
    const run = await d.runs.markRunning(job.runId);
    if (!run) return { skipped: 'the run is already finished' };
    try {
      const result = await withPool(job, async ({ candles, pool }) => {
        const options: PortableOptions = { ...CHAT_RUN_DEFAULTS, ...d.defaults, ...fromJsonSafe<PortableOptions>(run.options), symbol: run.symbol, timeframe: run.timeframe };
        let reported = 0;
        const r = await pool.run({
          strategy: run.strategy,
          params: run.params,
          options,
          full: true,
          onProgress: (f) => {
            if (f - reported < PROGRESS_STEP || f >= 1) return;
            reported = f;
            d.runs.setProgress(run.id, f).catch((err) => d.logger?.warn({ err, runId: run.id }, 'backtest progress not stored'));
          },
        });
        const dir = join(resolve(d.reportsDir), `backtest-${run.id}`);
        await mkdir(dir, { recursive: true });
        const { writeBacktestReport } = await import('../report/write-report.ts');
        const written = await writeBacktestReport(dir, r, candles);
        return { r, chartPath: written.equityPng, tradesChartPath: written.tradesPng, dir };
      });
      const metrics: Record<string, number | string | null> = {};
      for (const [k, v] of Object.entries(resultJson(result.r))) if (typeof v === 'number' || typeof v === 'string' || v === null) metrics[k] = v;
      await d.runs.finish(run.id, metrics, { summary: formatChatSummary(result.r), chartPath: result.chartPath, tradesChartPath: result.tradesChartPath, dir: result.dir });
      // What `tradeops backtest --queue` prints: the summary table and the --json object (no big arrays).
      return { runId: run.id, status: 'done', table: formatSummaryTable(result.r), result: toJsonSafe(resultJson(result.r, { dir: result.dir, equityPng: result.chartPath })) };
    } catch (err) {
      if (stopping) throw err; // this process is going away: the job is retried by another worker
      // The requester gets one line; the log gets the stack of an unexpected failure (an AppError is a plain refusal).
      if (err instanceof AppError) d.logger?.warn({ runId: run.id, error: err.message }, 'backtest failed');
      else d.logger?.error({ err, runId: run.id }, 'backtest failed');
      const text = err instanceof AppError ? err.message : `backtest failed: ${err instanceof Error ? err.message : String(err)}`;
      await d.runs.fail(run.id, text.split('\n')[0]!.slice(0, 300));
      return { runId: run.id, status: 'failed' };
    }
  };

  /** One parameter set: its metrics, or why it could not run (as a local sweep records it). */
  const sweepCell = (job: SweepCellJob): Promise<object> =>
    withPool(job, async ({ pool }) => {
      try {
        const r = await pool.run({ strategy: job.strategy, params: job.params, options: job.options, range: job.range });
        return toJsonSafe({ params: r.params, metrics: metricsOf(r) }) as object;
      } catch (err) {
        if (stopping) throw err;
        return { params: job.params, error: err instanceof Error ? err.message : String(err) };
      }
    });

  const fold = (job: WalkForwardFoldJob): Promise<object> =>
    withPool(job, async ({ pool }) => toJsonSafe(await runFold(pool, job.strategy, job.axes, job.base, job.options, job.rankBy, job.window)) as object);

  /** Each job's start and end in the log (which worker ran what, and which attempt it was). */
  const logged =
    <T>(fn: (data: T) => Promise<object>) =>
    async (job: QueuedJob<T>): Promise<object> => {
      const kind: JobKind = job.kind;
      const t0 = Date.now();
      d.logger?.info({ kind, job: job.id, attempt: job.retryCount + 1 }, 'backtest job started');
      try {
        const out = await fn(job.data);
        d.logger?.info({ kind, job: job.id, attempt: job.retryCount + 1, ms: Date.now() - t0 }, 'backtest job done');
        return out;
      } catch (err) {
        d.logger?.warn({ err, kind, job: job.id, attempt: job.retryCount + 1 }, 'backtest job failed');
        throw err;
      }
    };

  return {
    async start() {
      stopping = false;
      await d.queue.work(concurrency, {
        'backtest-run': logged<BacktestRunJob>(runJob),
        'backtest-sweep-cell': logged<SweepCellJob>(sweepCell),
        'backtest-walk-forward-fold': logged<WalkForwardFoldJob>(fold),
      });
      d.logger?.info({ concurrency, backend: d.queue.backend }, 'backtest jobs: this process works the queue');
    },
    async stop() {
      stopping = true;
      const entries = [...pools.values()];
      pools.clear();
      await Promise.all(entries.map((e) => e.ready.then((v) => v.pool.close()).catch(() => undefined)));
    },
  };
}
