import { join } from 'node:path';
import { kellySettingsFrom } from '../app/risk-settings.ts';
import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.ts';
import { envOf, type CliIo } from './io.ts';

export const WORKER_HELP = `Usage: tradeops worker [--concurrency N]

Run backtest jobs from the job queue in the PostgreSQL database (DATABASE_URL), and nothing else:
no trading, no chat, no HTTP server. Chat backtests, sweep parameter sets (\`tradeops backtest
--sweep … --queue\`) and walk-forward folds are queued by any process; every bot process and every
worker takes them, on any machine that reaches the database. A job whose worker dies is handed to
another one after about 15 s.

Stops on Ctrl-C or SIGTERM: jobs in hand are finished (up to 10 s) or left for another worker.

Options:
  --concurrency N   jobs run at once, each on its own thread (default: JOB_WORKERS, at least 1)
  -h, --help        show this help
`;

export async function runWorkerCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.stdout.write(WORKER_HELP);
    return 0;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
    throw new AppError('BAD_REQUEST', `--concurrency must be a whole number from 1 to 64, got "${values.concurrency}"`);
  }
  const { loadConfig } = await import('../config.ts');
  const config = loadConfig(await envOf(io));
  if (!config.DATABASE_URL) {
    throw new AppError('BAD_REQUEST', 'tradeops worker needs DATABASE_URL (PostgreSQL): with the embedded database only one process can open it, and the bot and `tradeops backtest --queue` run their jobs themselves');
  }
  const { createLogger } = await import('../logger.ts');
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const { openDatabase } = await import('../adapters/db/client.ts');
  const { migrate } = await import('../adapters/db/migrate.ts');
  const { openPgBossQueue } = await import('../adapters/queue/pg-boss-queue.ts');
  const { BacktestRunsRepository } = await import('../adapters/db/repositories/backtest-runs.ts');
  const { createDbBacktestDatasets } = await import('../adapters/db/repositories/backtest-datasets.ts');
  const { createBacktestJobWorker } = await import('../backtest/jobs/job-worker.ts');

  const database = await openDatabase({ url: config.DATABASE_URL, maxConnections: 3, logger });
  let queue: Awaited<ReturnType<typeof openPgBossQueue>> | undefined;
  let worker: ReturnType<typeof createBacktestJobWorker> | undefined;
  const close = async () => {
    await queue?.stop();
    await worker?.stop();
    await database.close();
  };
  try {
    await migrate(database);
    queue = await openPgBossQueue({ database, url: config.DATABASE_URL, logger: logger.child({ component: 'jobs' }) });
    const n = concurrency ?? Math.max(1, config.JOB_WORKERS);
    worker = createBacktestJobWorker({
      queue,
      datasets: createDbBacktestDatasets(database.db),
      runs: new BacktestRunsRepository(database.db),
      concurrency: n,
      strategiesDir: config.STRATEGIES_DIR,
      reportsDir: join(config.dataDir, 'backtests'),
      logger: logger.child({ component: 'backtests' }),
      // `sizing kelly` sizes as ORDER_SIZING=kelly does live.
      defaults: { kelly: kellySettingsFrom(config) },
    });
    await worker.start();
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  io.stdout.write(`tradeops worker ready: database=${database.kind}(${database.location}) concurrency=${concurrency ?? Math.max(1, config.JOB_WORKERS)} pid=${process.pid}\n`);

  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'worker stopping');
      close()
        .then(() => resolve(0))
        .catch((err) => {
          logger.error({ err }, 'worker shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
