import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { loadConfig } from '../config.ts';
import { compileCacheForBot, enableCompileCache } from './compile-cache.ts';
import { compilePgliteWasm } from '../adapters/db/pglite-wasm.ts';
import { envOf, type CliIo } from './io.ts';

export const START_HELP = `Usage: tradeops start

Run the bot: the strategy engine on cron ticks, the risk gate, the alert fan-out, the chat
transports that are configured (Telegram, Discord, LINE; the console when stdin is a terminal or
CONSOLE=true) and the HTTP server (health, readiness, webhooks, charts).

With no configuration at all it paper-trades the default strategy on BTC/USDT against the
built-in simulated exchange, with the embedded database under ./data. Configuration comes from the
environment and ./.env — see \`tradeops config --example\` and README.md.

Stops cleanly on Ctrl-C or SIGTERM (exit code 0): no new order is sent from the signal on, order
requests in flight finish or are stored as unknown (settled at the next start), the leader lock is
released, alerts are kept in the outbox, the database is closed — within SHUTDOWN_TIMEOUT seconds.

Options:
  -h, --help   show this help
`;

/**
 * V8 settings for the long-running bot, set before anything heavy loads (docs/performance.md):
 * `--liftoff-only` — the embedded database's WASM runs on V8's baseline compiler only. The optimising
 * tier would compile the whole PostgreSQL module again in the background (seconds of CPU at start
 * on a small machine, and a second copy of its machine code, ~30 MB resident) for queries that are
 * small here; bulk work (imports, backtests) runs in other commands, which keep both tiers.
 * `--bytecode-old-age=2` — the bytecode of a function that has not run during two full garbage
 * collections is dropped (V8's default waits for six; a function run again is compiled again from
 * its source, as on its first call): the start-up's run-once code — module bodies, configuration,
 * migrations, building the services — leaves the heap within the first minute instead of staying
 * for the life of the process (~2 MiB). Functions that keep running are never dropped. (The young
 * generation's size is a Node option instead — `--max-semi-space-size=2` in `npm start` and the
 * Docker entry point: V8 reads it only when the heap is set up, not from setFlagsFromString.)
 */
export const LONG_RUN_V8_FLAGS = ['--liftoff-only', '--bytecode-old-age=2'] as const;

export function tuneForLongRun(): void {
  for (const flag of LONG_RUN_V8_FLAGS) setFlagsFromString(flag);
}

/** Beyond SHUTDOWN_TIMEOUT the process exits 1 (a safety net, not the plan): keep it under Docker's grace period. */
const DEADLINE_MARGIN_MS = 1_000;

export async function runStartCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.stdout.write(START_HELP);
    return 0;
  }
  const config = loadConfig(await envOf(io));
  // bin/tradeops.js leaves the compile cache to the bot: on for the embedded database only (compile-cache.ts).
  if (compileCacheForBot(config)) enableCompileCache();
  tuneForLongRun();
  // The embedded database's WebAssembly compiles on V8's background thread while the bot's modules
  // load (after tuneForLongRun: baseline tier only); openDatabase takes the result.
  if (!config.DATABASE_URL) void compilePgliteWasm();
  const { startApp } = await import('../main.ts');
  const app = await startApp(config, { stdin: io.stdin, stdout: io.stdout });

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        app.logger.warn({ component: 'app', signal }, 'second signal: exiting now');
        process.exit(1);
      }
      const deadline = setTimeout(() => {
        app.logger.error({ component: 'app' }, 'shutdown took too long: exiting');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT * 1000 + DEADLINE_MARGIN_MS);
      deadline.unref();
      app
        .stop(`signal ${signal}`)
        .then(() => resolve(0))
        .catch((err) => {
          app.logger.error({ err }, 'shutdown failed');
          resolve(1);
        })
        .finally(() => clearTimeout(deadline));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // The ready line only once the signals are handled: a supervisor that stops the bot as soon as
    // it reads the line got Node's default action (killed by SIGTERM, no clean stop) before.
    io.stdout.write(`${app.readyLine}\n`);
    app.logger.info({ component: 'app', url: app.http.url }, 'ready');
  });
}
