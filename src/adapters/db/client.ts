import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Logger } from '../../logger.ts';
import * as schema from './schema.ts';
import { seedFromTemplate } from './pglite-template.ts';
import { compilePgliteWasm } from './pglite-wasm.ts';

/** One database type for both drivers (PGlite embedded, postgres.js server). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Where it lives, secrets removed: a directory or host/dbname. */
  readonly location: string;
  /** The PGlite instance itself (PGlite only): the in-process job queue shares its one connection. */
  readonly embedded?: unknown;
  /** Raw rows of a SQL statement, normalised across drivers. */
  rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… — a server; undefined = embedded PGlite. */
  url?: string;
  /** PGlite data directory; `memory://` (or undefined with no url) = in memory. */
  dataDir?: string;
  logger?: Logger;
  /** postgres.js pool size. */
  maxConnections?: number;
}

/**
 * Memory settings of the embedded database. PGlite's defaults are a server's (128 MB of shared
 * buffers, 64 MB maintenance memory) and all of it lives in the bot's own process, in the WASM heap,
 * which never shrinks. The bot's working set is small (the open orders, the recent candles, the
 * outbox), so 16 MB of buffers hold it; bulk imports go through COPY and do not need more.
 * Measured (docs/performance.md): the process holds ~150 MB instead of ~280 MB after opening.
 */
export const PGLITE_SETTINGS: readonly string[] = ['shared_buffers=16MB', 'wal_buffers=1MB', 'temp_buffers=4MB', 'work_mem=4MB', 'maintenance_work_mem=16MB'];

/** Open the configured database. PGlite and postgres.js are imported lazily (only the one in use). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dir: string | undefined;
  if (dataDir && dataDir !== 'memory://') {
    mkdirSync(dataDir, { recursive: true });
    dir = join(dataDir, 'pgdata');
    seedFromTemplate(dir);
  }
  // Compiled once per process, possibly already under way since the start of `tradeops start` (pglite-wasm.ts).
  const pgliteWasmModule = await compilePgliteWasm().catch(() => undefined);
  const options = { pgliteWasmModule, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])] };
  const client = dir ? new PGlite(dir, options) : new PGlite(options);
  await client.waitReady;
  return wrapPglite(client, dir ?? 'memory');
}

/** The part of a PGlite instance the wrapper needs (an instance or a clone of one). */
export interface PgliteClient {
  query(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The Database shape over an open PGlite instance (tests wrap migrated clones with it). */
export async function wrapPglite(client: PgliteClient, location: string): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const db = drizzle(client as never, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    location,
    embedded: client,
    async rows<T>(query: ReturnType<typeof sql>) {
      const res = (await db.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    async ping() {
      if (closed) return false;
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10, idle_timeout: 30 });
  const db = drizzle(client, { schema }) as unknown as Db;
  const parsed = new URL(url);
  let closed = false;
  return {
    db,
    kind: 'postgres',
    location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    async rows<T>(query: ReturnType<typeof sql>) {
      return (await db.execute(query)) as unknown as T[];
    },
    async ping() {
      if (closed) return false;
      try {
        await client`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
    },
  };
}
