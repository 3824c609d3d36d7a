import type { Candles } from '../../domain/candles.ts';
import { AppError } from '../../domain/errors.ts';
import type { BacktestDatasets } from '../../ports/backtest-datasets.ts';
import type { JobKind, JobQueue } from '../../ports/job-queue.ts';
import { rankDirection, rankRows, sweepGrid, type SweepAxis, type SweepResult, type SweepRow } from '../sweep.ts';
import { combineFolds, planWalkForward, type WalkForwardFold, type WalkForwardOptions, type WalkForwardResult } from '../walk-forward.ts';
import type { PortableOptions } from '../worker/protocol.ts';
import { fromJsonSafe } from './json-numbers.ts';
import type { BacktestRunJob, JobCandles, SweepCellJob, WalkForwardFoldJob } from './job-types.ts';

export interface QueuedRunDeps {
  queue: JobQueue;
  datasets: BacktestDatasets;
  /** How often the jobs' states are read (default 250 ms). */
  pollMs?: number;
  /** Called once when nothing has started after `idleWarnMs` (no worker is running?). */
  onIdle?: () => void;
  idleWarnMs?: number;
}

/**
 * A sweep as jobs: one job per parameter set, run by whichever workers take them, ranked here.
 * The rows are collected in grid order and ranked by the same stable sort as a local sweep
 * (runSweep), so the table is the same however the jobs were spread over workers.
 */
export async function runQueuedSweep(
  d: QueuedRunDeps,
  candles: Candles,
  lower: Candles | undefined,
  strategy: string,
  axes: SweepAxis[],
  base: Record<string, unknown>,
  options: PortableOptions,
  rankBy: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SweepResult> {
  rankDirection(rankBy);
  const grid = sweepGrid(axes, base);
  const sets = await storeCandles(d.datasets, candles, lower);
  const ids: string[] = [];
  for (const params of grid) ids.push(await d.queue.send<SweepCellJob>('backtest-sweep-cell', { ...sets, strategy, params, options }));
  const rows = (await awaitJobs<SweepRow>(d, 'backtest-sweep-cell', ids, onProgress)).map((r) => fromJsonSafe<SweepRow>(r));
  if (rows.every((r) => r.error)) throw new AppError('BAD_REQUEST', `no combination of the sweep could run: ${rows[0]!.error}`);
  return { rankBy, axes, rows: rankRows(rows, rankBy) };
}

/** Walk-forward as jobs: one job per fold (each sweeps its in-sample window on its worker). */
export async function runQueuedWalkForward(
  d: QueuedRunDeps,
  candles: Candles,
  lower: Candles | undefined,
  strategy: string,
  axes: SweepAxis[],
  base: Record<string, unknown>,
  options: PortableOptions,
  rankBy: string,
  wf: WalkForwardOptions,
  onFold?: (done: number, total: number) => void,
): Promise<WalkForwardResult> {
  rankDirection(rankBy);
  const windows = planWalkForward(candles.length, wf);
  const sets = await storeCandles(d.datasets, candles, lower);
  const ids: string[] = [];
  for (const window of windows) ids.push(await d.queue.send<WalkForwardFoldJob>('backtest-walk-forward-fold', { ...sets, strategy, axes, base, options, rankBy, window }));
  const folds = (await awaitJobs<WalkForwardFold>(d, 'backtest-walk-forward-fold', ids, onFold)).map((f) => fromJsonSafe<WalkForwardFold>(f));
  return combineFolds(rankBy, folds);
}

/** What a queued single run (`backtest-run`) gives back. */
export interface QueuedRunOutput {
  runId: number;
  status: 'done' | 'failed';
  /** The summary table (done). */
  table?: string;
  /** The `--json` object (done). */
  result?: Record<string, unknown>;
}

/**
 * One stored run (a backtest_runs row made by the caller) as a `backtest-run` job: its candles are
 * stored for the worker, and the answer is the worker's. A run that failed on the worker is
 * `status: 'failed'` (the reason is in its row).
 */
export async function runQueuedBacktest(d: QueuedRunDeps, runId: number, candles: Candles, lower: Candles | undefined): Promise<QueuedRunOutput> {
  const sets = await storeCandles(d.datasets, candles, lower);
  const id = await d.queue.send<BacktestRunJob>('backtest-run', { ...sets, runId });
  const [out] = await awaitJobs<QueuedRunOutput>(d, 'backtest-run', [id]);
  return fromJsonSafe<QueuedRunOutput>(out);
}

async function storeCandles(datasets: BacktestDatasets, candles: Candles, lower: Candles | undefined): Promise<JobCandles> {
  const dataset = await datasets.put(candles);
  return lower ? { dataset, lower: await datasets.put(lower) } : { dataset };
}

/** The outputs of `ids`, in their order, once all completed; a job that failed for good fails the whole. */
async function awaitJobs<R extends object>(d: QueuedRunDeps, queue: JobKind, ids: string[], onProgress?: (done: number, total: number) => void): Promise<R[]> {
  const out = new Array<R | undefined>(ids.length);
  const pending = new Set(ids.map((_, i) => i));
  const started = Date.now();
  let warned = false;
  let moved = false;
  while (pending.size > 0) {
    for (const i of [...pending]) {
      const s = await d.queue.state<R>(ids[i]!);
      if (!s) throw new AppError('NOT_FOUND', `job ${ids[i]} of ${queue} disappeared from the queue`);
      if (s.state !== 'queued') moved = true;
      if (s.state === 'completed') {
        out[i] = s.output;
        pending.delete(i);
        onProgress?.(ids.length - pending.size, ids.length);
      } else if (s.state === 'failed' || s.state === 'cancelled') {
        throw new AppError('UNAVAILABLE', `${queue} job ${i + 1} of ${ids.length} ${s.state} after ${s.retryCount + 1} attempt(s): ${s.error ?? 'no reason given'}`);
      }
    }
    if (!moved && !warned && Date.now() - started > (d.idleWarnMs ?? 10_000)) {
      warned = true;
      d.onIdle?.();
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, d.pollMs ?? 250));
  }
  return out as R[];
}
