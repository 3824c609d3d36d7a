import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BacktestRequest, BacktestRunView, BotServices } from '../../commands/services.ts';
import { toBacktestRunView, type BacktestRunRecord, type BacktestRunsRepository } from '../adapters/db/repositories/backtest-runs.ts';
import type { Candles } from '../domain/candles.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { parseStrategyParams, type StrategyCatalog } from '../strategies/registry.ts';
import { formatChatSummary, resultJson } from './report/summary.ts';
import type { PortableOptions } from './worker/protocol.ts';
import type { WorkerPool } from './worker/worker-pool.ts';

export interface BacktestCandleRequest {
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
}

export interface BacktestJobRunnerDeps {
  runs: BacktestRunsRepository;
  catalog: StrategyCatalog;
  /** STRATEGIES_DIR, so the worker thread finds user strategies too. */
  strategiesDir?: string;
  /** Candles of a request (stored candles, or the exchange's history); empty = nothing to test on. */
  loadCandles(req: BacktestCandleRequest): Promise<Candles>;
  /** Where each run's equity.png goes (`<dir>/backtest-<id>/equity.png`). */
  reportsDir: string;
  /** Execution model of chat runs (the CLI's defaults unless given). */
  defaults?: PortableOptions;
  logger?: Logger;
  /** How often other processes' queued runs are looked for (default 2 s). */
  pollMs?: number;
}

export type BacktestRunUpdate = BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] };

export interface BacktestJobRunner {
  /** Re-queue runs a dead process left running, then start claiming queued runs. */
  start(): Promise<void>;
  /** Stop claiming; waits for the run in progress; terminates the worker. */
  stop(): Promise<void>;
  /** The `backtests` part of BotServices. */
  readonly service: BotServices['backtests'];
}

const DEFAULTS: PortableOptions = { cash: 10_000, fee: '0.1%', slippage: '0', fill: 'next-open', sizing: 'all-in' };
/** Progress is written to the database and announced at most every this much. */
const PROGRESS_STEP = 0.05;

/**
 * Runs queued backtests (chat `/backtest`) one at a time, off the trading thread: each run executes
 * in a worker thread, so a long backtest never delays a trading tick. State lives in backtest_runs
 * (queued → running → done | failed); a restart re-queues what was running. Listeners get every
 * change (with progress 0..1); chat code subscribes through `service.onUpdate` — nothing here knows
 * about chat platforms.
 */
export function createBacktestJobRunner(d: BacktestJobRunnerDeps): BacktestJobRunner {
  const listeners = new Set<(u: BacktestRunUpdate) => void>();
  let pool: WorkerPool | undefined;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let stopped = true;

  const emit = (r: BacktestRunRecord) => {
    const u: BacktestRunUpdate = { ...toBacktestRunView(r), requestedBy: r.requestedBy };
    for (const l of listeners) {
      try {
        l(u);
      } catch (err) {
        d.logger?.error({ err, runId: r.id }, 'backtest update listener failed');
      }
    }
  };

  const getPool = async (): Promise<WorkerPool> => {
    if (!pool) {
      const { createWorkerPool } = await import('./worker/worker-pool.ts');
      pool = createWorkerPool({ size: 1, strategiesDir: d.strategiesDir });
    }
    return pool;
  };

  const execute = async (run: BacktestRunRecord): Promise<void> => {
    emit(run);
    try {
      const candles = await d.loadCandles({ symbol: run.symbol, timeframe: run.timeframe, from: run.fromTs, to: run.toTs });
      if (candles.length < 2) throw new AppError('NOT_FOUND', `no ${run.timeframe} candles for ${run.symbol} in the requested period`);
      const { toPortableCandles } = await import('./worker/protocol.ts');
      const options: PortableOptions = { ...DEFAULTS, ...d.defaults, ...(run.options as PortableOptions), symbol: run.symbol, timeframe: run.timeframe };
      let reported = 0;
      const p = await getPool();
      const result = await p.run({
        strategy: run.strategy,
        params: run.params,
        options,
        candles: toPortableCandles(candles),
        full: true,
        onProgress: (f) => {
          if (f - reported < PROGRESS_STEP || f >= 1) return;
          reported = f;
          emit({ ...run, status: 'running', progress: f });
          d.runs.setProgress(run.id, f).catch((err) => d.logger?.warn({ err, runId: run.id }, 'backtest progress not stored'));
        },
      });
      const dir = join(resolve(d.reportsDir), `backtest-${run.id}`);
      await mkdir(dir, { recursive: true });
      // The full report (PNGs, CSVs, report.html and report.json for the dashboard's backtest page).
      const { writeBacktestReport } = await import('./report/write-report.ts');
      const written = await writeBacktestReport(dir, result, candles);
      const metrics: Record<string, number | string | null> = {};
      for (const [k, v] of Object.entries(resultJson(result))) if (typeof v === 'number' || typeof v === 'string' || v === null) metrics[k] = v;
      emit(await d.runs.finish(run.id, metrics, { summary: formatChatSummary(result), chartPath: written.equityPng, tradesChartPath: written.tradesPng, dir }));
    } catch (err) {
      // The requester gets one line; the log gets the stack of an unexpected failure (an AppError is a plain refusal).
      if (err instanceof AppError) d.logger?.warn({ runId: run.id, error: err.message }, 'backtest failed');
      else d.logger?.error({ err, runId: run.id }, 'backtest failed');
      const text = err instanceof AppError ? err.message : `backtest failed: ${err instanceof Error ? err.message : String(err)}`;
      const message = text.split('\n')[0]!.slice(0, 300);
      emit(await d.runs.fail(run.id, message));
    }
  };

  const drain = (): Promise<void> => {
    if (draining || stopped) return draining ?? Promise.resolve();
    draining = (async () => {
      try {
        while (!stopped) {
          const run = await d.runs.claimNext();
          if (!run) break;
          await execute(run);
        }
      } catch (err) {
        d.logger?.error({ err }, 'backtest queue failed');
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  };

  return {
    async start() {
      stopped = false;
      const requeued = await d.runs.requeueRunning();
      if (requeued > 0) d.logger?.info({ requeued }, 'backtests left running by a previous process were queued again');
      timer = setInterval(() => void drain(), d.pollMs ?? 2000);
      timer.unref();
      void drain();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await draining;
      await pool?.close();
      pool = undefined;
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
        const run = await d.runs.create({ source: 'chat', requestedBy: req.requestedBy, strategy: def.name, symbol: req.symbol, timeframe: req.timeframe, fromTs: req.from, toTs: req.to, params, options: {} });
        emit(run);
        void drain();
        return toBacktestRunView(run);
      },
      onUpdate(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
