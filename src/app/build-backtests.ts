import { join } from 'node:path';
import type { BacktestRunView, BotServices } from '../../commands/services.ts';
import type { Database } from '../adapters/db/client.ts';
import { BacktestRunsRepository } from '../adapters/db/repositories/backtest-runs.ts';
import { createDbBacktestDatasets } from '../adapters/db/repositories/backtest-datasets.ts';
import type { BacktestCandleRequest } from '../backtest/job-runner.ts';
import type { Config } from '../config.ts';
import type { Candles } from '../domain/candles.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { MetricsRecorder } from '../ports/metrics.ts';
import type { StrategyCatalog } from '../strategies/registry.ts';
import type { ExchangeBundle } from './build-exchange.ts';
import { SIM_HISTORY_CANDLES } from './build-exchange.ts';
import { backtestRiskFrom, kellySettingsFrom } from './risk-settings.ts';

export interface BacktestRuntime {
  service: BotServices['backtests'];
  start(): Promise<void>;
  /** Stop watching runs and close the backtest threads; stop the queue first (jobs in hand finish). */
  stop(): Promise<void>;
}

/**
 * Chat backtests on the job queue: requests are queued (candles taken from the store after fetching
 * what is missing from the configured exchange; the simulated exchange serves its whole history),
 * and this process works the queue with JOB_WORKERS threads (0: it leaves the jobs to other
 * processes, e.g. `tradeops worker`). A finished run is announced on the bus by exactly one process,
 * so the alert fan-out tells the requester even when the run finished after a restart or elsewhere.
 */
export async function buildBacktests(d: { config: Config; database: Database; catalog: StrategyCatalog; exchange: ExchangeBundle; bus: EventBus; queue: JobQueue; logger: Logger; metrics?: MetricsRecorder }): Promise<BacktestRuntime> {
  const { createBacktestJobRunner } = await import('../backtest/job-runner.ts');
  const { createBacktestJobWorker } = await import('../backtest/jobs/job-worker.ts');
  const { ensureCandles } = await import('./ensure-candles.ts');
  const exchangeName = d.config.EXCHANGE;
  const logger = d.logger.child({ component: 'backtests' });
  const { simHistoryCandles } = await import('../backtest/load-candles.ts');
  const loadCandles = async (req: BacktestCandleRequest): Promise<Candles> =>
    ensureCandles({
      database: d.database,
      marketData: d.exchange.marketData,
      exchange: exchangeName,
      symbol: req.symbol,
      timeframe: req.timeframe,
      from: req.from,
      to: req.to,
      defaultCount: SIM_HISTORY_CANDLES,
      now: () => d.exchange.clock.now(),
      // The sim's live market runs TIMEFRAME only; other timeframes come from its seed, as in the CLI.
      generate: exchangeName === 'sim'
        ? (w) => simHistoryCandles({ seed: d.config.SIM_SEED, symbol: req.symbol, timeframe: req.timeframe, from: w.from, to: w.to, defaultCount: SIM_HISTORY_CANDLES, marketType: d.config.EXCHANGE_MARKET, now: () => d.exchange.clock.now() })
        : undefined,
    });
  const runs = new BacktestRunsRepository(d.database.db);
  const datasets = createDbBacktestDatasets(d.database.db);
  const runner = createBacktestJobRunner({
    runs,
    datasets,
    queue: d.queue,
    catalog: d.catalog,
    // `/backtest … risk=on`: as this bot trades — its entry size, limits and protections; the panic score gates entries.
    riskRun: () => ({ risk: backtestRiskFrom(d.config, true), sizing: d.config.ORDER_SIZING === 'kelly' ? 'kelly' : `percent:${d.config.ORDER_SIZE_PCT}` }),
    loadCandles,
    logger,
    announce(run) {
      // Exactly one process announces a run: counted there, so several processes do not count it twice.
      d.metrics?.backtestJob(run.status === 'done' ? 'ok' : 'failed', Math.max(0, Date.now() - run.createdAt) / 1000);
      d.bus.publish({
        type: 'backtest-finished',
        ts: Date.now(),
        runId: run.id,
        strategy: run.strategy,
        symbol: run.symbol,
        summary: run.status === 'done' ? (run.summary ?? '') : `failed: ${run.error ?? 'unknown error'}`,
        ok: run.status === 'done',
        chartPath: run.chartPath,
      });
    },
  });
  let workers = d.config.JOB_WORKERS;
  if (workers === 0 && d.database.kind === 'pglite') {
    // No other process can open the embedded database: without threads here no backtest would ever run.
    logger.warn('JOB_WORKERS=0 with the embedded database: no other process can run backtest jobs, so this one runs them with 1 thread');
    workers = 1;
  }
  const worker =
    workers > 0
      ? createBacktestJobWorker({ queue: d.queue, datasets, runs, concurrency: workers, strategiesDir: d.config.STRATEGIES_DIR, reportsDir: join(d.config.dataDir, 'backtests'), logger, defaults: { kelly: kellySettingsFrom(d.config) } })
      : undefined;
  // A finished run links to its full report in the web dashboard when people can reach it.
  const reportBase = d.config.PUBLIC_URL && d.config.DASHBOARD ? d.config.PUBLIC_URL.replace(/\/+$/, '') : undefined;
  const withLink = <T extends BacktestRunView>(run: T): T => (reportBase && run.status === 'done' ? { ...run, reportUrl: `${reportBase}/backtests/${run.id}` } : run);
  const service: BotServices['backtests'] = {
    list: async (limit) => (await runner.service.list(limit)).map(withLink),
    get: async (id) => {
      const run = await runner.service.get(id);
      return run && withLink(run);
    },
    enqueue: (request) => runner.service.enqueue(request),
    onUpdate: (listener) => runner.service.onUpdate((run) => listener(withLink(run))),
  };
  return {
    service,
    async start() {
      await runner.start();
      await worker?.start();
    },
    async stop() {
      await runner.stop();
      await worker?.stop();
    },
  };
}
