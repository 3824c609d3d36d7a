import { processIo, type CliIo } from './cli/io.ts';
import { reportCliError } from './cli/report-error.ts';
import { VERSION } from './app/version.ts';

interface Subcommand {
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Subcommands load their modules lazily: `backtest` never loads ccxt or the chat SDKs. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  start: { summary: 'run the bot: engine, risk loop, chat, HTTP server (the default)', run: async (a, io) => (await import('./cli/start.ts')).runStartCommand(a, io) },
  migrate: { summary: 'apply database migrations and exit', run: async (a, io) => (await import('./cli/migrate.ts')).runMigrateCommand(a, io) },
  backtest: { summary: 'backtest a strategy on stored candles or a file', run: async (a, io) => (await import('./cli/backtest.ts')).runBacktestCommand(a, io) },
  worker: { summary: 'run backtest jobs from the PostgreSQL job queue only (no trading, no chat)', run: async (a, io) => (await import('./cli/worker.ts')).runWorkerCommand(a, io) },
  'fetch-data': { summary: 'download candles from an exchange into the database', run: async (a, io) => (await import('./cli/fetch-data.ts')).runFetchDataCommand(a, io) },
  'import-candles': { summary: 'import a candle file (CSV or JSON) into the database', run: async (a, io) => (await import('./cli/import-candles.ts')).runImportCandlesCommand(a, io) },
  config: { summary: 'check the configuration, or print the reference (--example)', run: async (a, io) => (await import('./cli/config-command.ts')).runConfigCommand(a, io) },
  'dashboard-link': { summary: 'print a one-time sign-in link to the web dashboard', run: async (a, io) => (await import('./cli/dashboard-link.ts')).runDashboardLinkCommand(a, io) },
};

export function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((k) => k.length));
  const lines = Object.entries(SUBCOMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return `tradeops ${VERSION} — chat-operated crypto trading bot

Usage: tradeops <command> [options]

Commands:
${lines.join('\n')}

Run \`tradeops <command> --help\` for the options of a command.
Configuration comes from the environment and ./.env (see \`tradeops config --example\`).
`;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  const name = first === undefined || first.startsWith('-') ? 'start' : first;
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    io.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await sub.run(args, io);
  } catch (err) {
    return reportCliError(err, io);
  }
}

