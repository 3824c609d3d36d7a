import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';

/** Resolved from this module, not the working directory: works from any cwd and in the image. */
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');

/** Arbitrary but fixed key: every tradeops process contends for the same lock. */
const MIGRATION_LOCK_KEY = 7_346_512_019;

export interface MigrationResult {
  applied: number;
  total: number;
}

/**
 * Apply pending migrations under a Postgres advisory lock, so two processes starting at once do not
 * both migrate (drizzle's migrator takes no lock of its own). The lock is held on one reserved
 * connection for postgres.js; PGlite is single-connection and single-process, the lock is harmless.
 */
export async function migrate(database: Database, migrationsDir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const entries = journal(migrationsDir);
  const total = entries.length;
  const newest = Math.max(0, ...entries.map((e) => e.when));

  const run = async (): Promise<number> => {
    const before = await applied(database);
    // drizzle's migrator applies the journal entries newer than the newest one applied: when there
    // is none — every start on an existing database — it is not loaded at all (it reads and hashes
    // every migration file and checks its own schema and table first: ~10 ms of the bot's start).
    if (before.count > 0 && before.newest >= newest) return 0;
    if (database.kind === 'pglite') {
      const { migrate: m } = await import('drizzle-orm/pglite/migrator');
      await m(database.db as never, { migrationsFolder: migrationsDir });
    } else {
      const { migrate: m } = await import('drizzle-orm/postgres-js/migrator');
      await m(database.db as never, { migrationsFolder: migrationsDir });
    }
    return (await applied(database)).count - before.count;
  };

  if (database.kind === 'pglite') {
    return { applied: await run(), total };
  }
  // postgres.js: hold the lock on a dedicated connection for the whole migration.
  const client = (database.db as unknown as { $client: import('postgres').Sql }).$client;
  const reserved = await client.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      return { applied: await run(), total };
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    reserved.release();
  }
}

/** The migrations folder's journal entries (`when`: the time drizzle stores as the migration's created_at). */
function journal(migrationsDir: string): Array<{ when: number }> {
  const path = join(migrationsDir, 'meta', '_journal.json');
  if (!existsSync(path)) throw new Error(`migrations not found at ${migrationsDir}`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { entries: Array<{ when: number }> }).entries;
}

/** How many migrations the database has applied, and the created_at of the newest (0 and 0 before the first). */
async function applied(database: Database): Promise<{ count: number; newest: number }> {
  const exists = await database.rows<{ ok: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`,
  );
  if (!exists[0]?.ok) return { count: 0, newest: 0 };
  const rows = await database.rows<{ n: number | string; t: string | null }>(sql`select count(*)::int as n, max(created_at)::text as t from drizzle.__drizzle_migrations`);
  return { count: Number(rows[0]?.n ?? 0), newest: Number(rows[0]?.t ?? 0) };
}

/** True when every migration in the folder has been applied (readiness check). */
export async function migrationsUpToDate(database: Database, migrationsDir = MIGRATIONS_DIR): Promise<boolean> {
  return (await applied(database)).count >= journal(migrationsDir).length;
}
