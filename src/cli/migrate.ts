import { parseArgs } from 'node:util';
import { openDatabase } from '../adapters/db/client.ts';
import { migrate } from '../adapters/db/migrate.ts';
import { loadConfig } from '../config.ts';
import { envOf, type CliIo } from './io.ts';

export const MIGRATE_HELP = `Usage: tradeops migrate [--database-url URL] [--data-dir DIR]

Apply pending database migrations and exit. Uses DATABASE_URL (PostgreSQL) when set, else the
embedded database under DATA_DIR. Safe to run while other processes start: an advisory lock makes
sure only one of them migrates.

Options:
  --database-url URL   PostgreSQL server to migrate (default: DATABASE_URL)
  --data-dir DIR       embedded database directory (default: DATA_DIR or ./data)
  -h, --help           show this help
`;

export async function runMigrateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.stdout.write(MIGRATE_HELP);
    return 0;
  }
  const env = { ...(await envOf(io)) };
  if (values['database-url']) env.DATABASE_URL = values['database-url'];
  if (values['data-dir']) env.DATA_DIR = values['data-dir'];
  const config = loadConfig(env);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir, maxConnections: 2 });
  try {
    const r = await migrate(database);
    io.stdout.write(`migrations: ${r.applied} applied, ${r.total} in total (${database.kind} ${database.location})\n`);
    return 0;
  } finally {
    await database.close();
  }
}
