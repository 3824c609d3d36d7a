import { kellySettingsFrom } from './risk-settings.ts';
import { join } from 'node:path';
import type { BotServices } from '../../commands/services.ts';
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
    });
  const runner = createBacktestJobRunner({
    runs: new BacktestRunsRepository(d.database.db),
    catalog: d.catalog,
    strategiesDir: d.config.STRATEGIES_DIR,
    loadCandles,
    reportsDir: join(d.config.dataDir, 'backtests'),
    // `sizing kelly` in chat sizes as ORDER_SIZING=kelly does live.
    defaults: { kelly: kellySettingsFrom(d.config) },
    logger: d.logger.child({ component: 'backtests' }),
  });
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
  return { service: runner.service, start: () => runner.start(), stop: () => runner.stop() };
}
