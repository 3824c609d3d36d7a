import { sql } from 'drizzle-orm';
import { type Database, openDatabase, wrapPglite } from '../../src/adapters/db/client.ts';
import { migrate } from '../../src/adapters/db/migrate.ts';
import { createTempDatabase, pgServerUrl } from './pg-temp.ts';
import { openMigratedPglite, SNAPSHOT_ENV } from './pglite-snapshot.ts';

/**
 * Where database tests run: PGlite always, and the real PostgreSQL server when this run found one
 * (TEST_DATABASE_URL, else the local postgres://postgres@127.0.0.1:5432/postgres — decided once in
 * tests/support/global-setup.ts). Use with describe.each:
 *
 *   describe.each(databaseTargets())('audit log on $name', (target) => {
 *     let database: Database;
 *     beforeEach(async () => { database = await target.open(); });
 *     afterAll(() => target.cleanup());
 *     ...
 *   });
 *
 * `open()` always gives a migrated, empty database:
 *  - pglite: a new in-memory PGlite loaded from the run's migrated snapshot (tests/support/pglite-snapshot.ts,
 *    ~0.7 s; a fresh PGlite plus migrations costs 3–5 s). Without a snapshot (a run without the global
 *    setup): a clone of one migrated in-memory template per test file (~1 s a clone). Every database is independent.
 *  - postgres: one database per test file (`tradeops_t_<random>`, created and migrated on the first
 *    open, dropped by cleanup); each open empties its tables and returns a new connection pool.
 * `cleanup()` closes everything the target opened (and drops the server database): call it in afterAll.
 */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [pgliteTarget()];
  if (pgServerUrl()) targets.push(postgresTarget(pgServerUrl()));
  return targets;
}

type PGliteLike = {
  clone(): Promise<PGliteLike>;
  query(q: string): Promise<unknown>;
  close(): Promise<void>;
  waitReady?: Promise<void>;
};

function pgliteTarget(): DatabaseTarget {
  let template: Promise<Database> | undefined;
  const opened: Database[] = [];
  return {
    name: 'pglite',
    async open() {
      if (process.env[SNAPSHOT_ENV]) {
        const database = await openMigratedPglite();
        opened.push(database);
        return database;
      }
      template ??= (async () => {
        const t = await openDatabase({ dataDir: 'memory://' });
        await migrate(t);
        return t;
      })();
      const base = (await template).db as unknown as { $client: PGliteLike };
      const database = await wrapClone(await base.$client.clone());
      opened.push(database);
      return database;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      if (template) await (await template).close();
      template = undefined;
    },
  };
}

/** The same Database shape client.ts builds, over an already open PGlite (a clone). */
function wrapClone(client: PGliteLike): Promise<Database> {
  return wrapPglite(client as never, 'memory (clone)');
}

function postgresTarget(serverUrl: string): DatabaseTarget {
  let created: Promise<{ url: string; drop(): Promise<void> }> | undefined;
  const opened: Database[] = [];
  return {
    name: 'postgres',
    async open() {
      created ??= (async () => {
        const temp = await createTempDatabase(serverUrl);
        const d = await openDatabase({ url: temp.url, maxConnections: 2 });
        try {
          await migrate(d);
        } finally {
          await d.close();
        }
        return temp;
      })();
      const { url } = await created;
      const database = await openDatabase({ url, maxConnections: 4 });
      await emptyTables(database);
      opened.push(database);
      return database;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      if (created) await (await created).drop();
      created = undefined;
    },
  };
}

/** Truncate every table of the public schema (ids restart), leaving the migrations table alone. */
async function emptyTables(database: Database): Promise<void> {
  const tables = await database.rows<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public'`);
  if (tables.length === 0) return;
  const list = tables.map((t) => `"public"."${t.name.replace(/"/g, '""')}"`).join(', ');
  await database.rows(sql.raw(`truncate table ${list} restart identity cascade`));
}
