import { openDatabase, type Database } from '../adapters/db/client.ts';
import { migrate } from '../adapters/db/migrate.ts';
import { CandleStore } from '../adapters/db/repositories/candles.ts';
import type { Config } from '../config.ts';

export interface CandleDatabase {
  readonly database: Database;
  readonly store: CandleStore;
  close(): Promise<void>;
}

/**
 * The configured database (DATABASE_URL, else the embedded one under DATA_DIR), migrated, with a
 * candle store on it — what the data commands need. Migrating here makes `import-candles` and
 * `fetch-data` work on a fresh data directory; the advisory lock makes it safe next to a running bot
 * on Postgres (PGlite allows one process per directory anyway).
 */
export async function openCandleDatabase(config: Pick<Config, 'DATABASE_URL' | 'dataDir'>): Promise<CandleDatabase> {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir, maxConnections: 2 });
  try {
    await migrate(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return { database, store: new CandleStore(database), close: () => database.close() };
}
