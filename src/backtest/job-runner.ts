import type { BacktestRequest, BacktestRunView, BotServices } from '../../commands/services.ts';
import { toBacktestRunView, type BacktestRunRecord, type BacktestRunsRepository } from '../adapters/db/repositories/backtest-runs.ts';
import type { Candles } from '../domain/candles.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { BacktestDatasets } from '../ports/backtest-datasets.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import { parseStrategyParams, type StrategyCatalog } from '../strategies/registry.ts';
import type { BacktestRiskOptions } from './backtest-risk.ts';
import type { BacktestRunJob } from './jobs/job-types.ts';
import { toJsonSafe } from './jobs/json-numbers.ts';

export interface BacktestCandleRequest {
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
}

export interface BacktestJobRunnerDeps {
  runs: BacktestRunsRepository;
  catalog: StrategyCatalog;
  queue: JobQueue;
  datasets: BacktestDatasets;
  /** Candles of a request (stored candles, or the exchange's history); empty = nothing to test on. */
  loadCandles(req: BacktestCandleRequest): Promise<Candles>;
  /** How a `risk` request runs: as the bot trades — its sizing, and its limits, protections and panic gate. */
  riskRun?: () => { risk: BacktestRiskOptions; sizing: string };
  /** A chat run ended: called in exactly one process for each run (the alert to its requester). */
  announce?(run: BacktestRunUpdate): void;
  logger?: Logger;
  /** How often the runs' rows are read for progress (default 1 s). */
  pollMs?: number;
  /** Candle datasets older than this are deleted (default 3 days; hourly check). */
  datasetRetentionMs?: number;
}

export type BacktestRunUpdate = BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] };

export interface BacktestJobRunner {
  /** Queue runs a dead process left unqueued, then start watching the runs. */
  start(): Promise<void>;
  /** Stop watching; waits for candles being prepared. */
  stop(): Promise<void>;
  /** The `backtests` part of BotServices. */
  readonly service: BotServices['backtests'];
}

const DATASET_RETENTION_MS = 3 * 86_400_000;

const updateOf = (r: BacktestRunRecord): BacktestRunUpdate => ({ ...toBacktestRunView(r), requestedBy: r.requestedBy });

/**
 * Chat backtests (`/backtest`) on the job queue. A request becomes a backtest_runs row at once; its
 * candles are then gathered here (stored, or fetched from the exchange) and stored as a dataset, and
 * a `backtest-run` job is queued — any process working the queue runs it (the bot itself, a standby,
 * `tradeops worker` on another machine) and moves the row on. This side reads the rows to report
 * progress and the end to listeners (`service.onUpdate`: the chat follow-up of the request), and
 * claims each finished run's announcement so exactly one process announces it. Nothing here knows
 * about chat platforms.
 */
export function createBacktestJobRunner(d: BacktestJobRunnerDeps): BacktestJobRunner {
  const listeners = new Set<(u: BacktestRunUpdate) => void>();
  const seen = new Map<number, string>();
  const preparing = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let observing: Promise<void> | undefined;
  let stopped = true;

  const emit = (r: BacktestRunRecord) => {
    const u = updateOf(r);
    for (const l of listeners) {
      try {
        l(u);
      } catch (err) {
        d.logger?.error({ err, runId: r.id }, 'backtest update listener failed');
      }
    }
  };
  const track = (r: BacktestRunRecord) => {
    const key = `${r.status}:${r.progress}`;
    if (seen.get(r.id) === key) return;
    seen.set(r.id, key);
    emit(r);
  };

  /** Gather the candles, store them, queue the job — once per run across processes. */
  const prepare = (run: BacktestRunRecord): void => {
    const p = (async () => {
      if (!(await d.runs.claimUnqueued(run.id))) return;
      try {
        const candles = await d.loadCandles({ symbol: run.symbol, timeframe: run.timeframe, from: run.fromTs, to: run.toTs });
        if (candles.length < 2) throw new AppError('NOT_FOUND', `no ${run.timeframe} candles for ${run.symbol} in the requested period`);
        const dataset = await d.datasets.put(candles);
        const jobId = await d.queue.send<BacktestRunJob>('backtest-run', { runId: run.id, dataset });
        await d.runs.setJob(run.id, jobId);
      } catch (err) {
        // A plain refusal (no candles, …) is one line in the log; an unexpected failure keeps its stack.
        if (err instanceof AppError) d.logger?.warn({ runId: run.id, error: err.message }, 'backtest could not be queued');
        else d.logger?.error({ err, runId: run.id }, 'backtest could not be queued');
        const message = err instanceof AppError ? err.message : `backtest failed: ${err instanceof Error ? err.message : String(err)}`;
        track(await d.runs.fail(run.id, message));
      }
    })().catch((err) => d.logger?.error({ err, runId: run.id }, 'backtest preparation failed'));
    preparing.add(p);
    void p.finally(() => preparing.delete(p));
  };

  const observe = async (): Promise<void> => {
    const active = await d.runs.activeChat();
    const ids = new Set(active.map((r) => r.id));
    for (const r of active) track(r);
    for (const id of [...seen.keys()]) {
      if (ids.has(id)) continue;
      const r = await d.runs.get(id);
      const last = seen.get(id);
      seen.delete(id);
      if (r && last !== `${r.status}:${r.progress}`) emit(r);
    }
    for (const r of await d.runs.pendingAnnouncements()) {
      if (await d.runs.claimAnnouncement(r.id)) d.announce?.(updateOf(r));
    }
  };

  const tick = () => {
    if (observing || stopped) return;
    observing = observe()
      .catch((err) => d.logger?.warn({ err }, 'reading backtest runs failed'))
      .finally(() => {
        observing = undefined;
      });
  };

  return {
    async start() {
      stopped = false;
      const left = await d.runs.unqueued();
      if (left.length > 0) d.logger?.info({ runs: left.map((r) => r.id) }, 'backtests a previous process accepted but did not queue: queuing them');
      for (const r of left) prepare(r);
      timer = setInterval(tick, d.pollMs ?? 1000);
      timer.unref();
      tick();
      // Candles of finished jobs: a sweep's jobs all run within hours; a set put again is refreshed.
      const prune = () =>
        void d.datasets
          .prune(Date.now() - (d.datasetRetentionMs ?? DATASET_RETENTION_MS))
          .then((n) => n > 0 && d.logger?.info({ deleted: n }, 'old backtest candle sets deleted'))
          .catch((err) => d.logger?.warn({ err }, 'pruning backtest candle sets failed'));
      prune();
      pruneTimer = setInterval(prune, 3_600_000);
      pruneTimer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (pruneTimer) clearInterval(pruneTimer);
      await observing;
      await Promise.all([...preparing]);
    },
    service: {
      async list(limit) {
        return (await d.runs.list(limit)).map(toBacktestRunView);
      },
      async get(id) {
        const r = await d.runs.get(id);
        return r ? toBacktestRunView(r) : undefined;
      },
      async enqueue(req) {
        const def = d.catalog.get(req.strategy);
        const params = parseStrategyParams(def, req.params);
        if (req.risk && !d.riskRun) throw new AppError('BAD_REQUEST', 'this process has no risk settings to backtest with');
        // Stored with the run (JSON: an "off" limit is Infinity), so whichever process works the job uses them.
        const options = req.risk ? (toJsonSafe(d.riskRun!()) as Record<string, unknown>) : {};
        const run = await d.runs.create({ source: 'chat', requestedBy: req.requestedBy, strategy: def.name, symbol: req.symbol, timeframe: req.timeframe, fromTs: req.from, toTs: req.to, params, options });
        track(run);
        prepare(run);
        return toBacktestRunView(run);
      },
      onUpdate(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
