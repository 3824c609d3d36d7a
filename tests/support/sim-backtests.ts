import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openPgBossQueue } from '../../src/adapters/queue/pg-boss-queue.ts';
import { buildBacktests, type BacktestRuntime } from '../../src/app/build-backtests.ts';
import { buildExchange } from '../../src/app/build-exchange.ts';
import { loadConfig } from '../../src/config.ts';
import { createEventBus } from '../../src/kernel.ts';
import { loadStrategyCatalog } from '../../src/strategies/registry.ts';
import type { MetricsRecorder } from '../../src/ports/metrics.ts';
import { openMigratedPglite } from './pglite-snapshot.ts';

/**
 * Chat backtests as the bot runs them on the default setup: the simulated exchange, an in-memory
 * embedded database, the job queue in process. `env` adds configuration; `close()` stops everything.
 */
export async function startSimBacktests(logger: Logger, env: Record<string, string> = {}, metrics?: MetricsRecorder): Promise<{ runtime: BacktestRuntime; close(): Promise<void> }> {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sim-backtests-')), ...env });
  const database = await openMigratedPglite();
  const exchange = await buildExchange(config, logger);
  const queue = await openPgBossQueue({ database });
  const runtime = await buildBacktests({ config, database, catalog: await loadStrategyCatalog(), exchange, bus: createEventBus(logger), queue, logger, metrics });
  await runtime.start();
  return {
    runtime,
    async close() {
      await runtime.stop();
      await queue.stop();
      await exchange.close();
      await database.close();
    },
  };
}
