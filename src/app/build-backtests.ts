import { join } from 'node:path';
import type { BacktestRunView, BotServices } from '../../commands/services.ts';
import type { Database } from '../adapters/db/client.ts';
import { BacktestRunsRepository } from '../adapters/db/repositories/backtest-runs.ts';
import type { BacktestCandleRequest } from '../backtest/job-runner.ts';
import type { Config } from '../config.ts';
import type { Candles } from '../domain/candles.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';
import type { StrategyCatalog } from '../strategies/registry.ts';
import type { ExchangeBundle } from './build-exchange.ts';
import { SIM_HISTORY_CANDLES } from './build-exchange.ts';

export interface BacktestRuntime {
  service: BotServices['backtests'];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Chat backtests: queued in backtest_runs, run one at a time in a worker thread, candles taken from
 * the store after fetching what is missing from the configured exchange (the simulated exchange
 * serves its whole history). Finished runs are announced on the bus, so the alert fan-out tells the
 * requester even when the run finished after a restart.
 */
export async function buildBacktests(d: { config: Config; database: Database; catalog: StrategyCatalog; exchange: ExchangeBundle; bus: EventBus; logger: Logger }): Promise<BacktestRuntime> {
  const { createBacktestJobRunner } = await import('../backtest/job-runner.ts');
  const { ensureCandles } = await import('./ensure-candles.ts');
  const exchangeName = d.config.EXCHANGE;
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
  const runner = createBacktestJobRunner({
    runs: new BacktestRunsRepository(d.database.db),
    catalog: d.catalog,
    strategiesDir: d.config.STRATEGIES_DIR,
    loadCandles,
    reportsDir: join(d.config.dataDir, 'backtests'),
    logger: d.logger.child({ component: 'backtests' }),
  });
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
  runner.service.onUpdate((run) => {
    if (run.status !== 'done' && run.status !== 'failed') return;
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
  });
  return { service, start: () => runner.start(), stop: () => runner.stop() };
}
