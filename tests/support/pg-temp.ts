import { randomBytes } from 'node:crypto';

/** The real PostgreSQL server for this run, or '' (decided once in tests/support/global-setup.ts). */
export function pgServerUrl(): string {
  return process.env.TRADEOPS_TEST_PG_URL ?? '';
}

/** The server tests and benchmarks use when none is named: the local one. */
export const DEFAULT_PG_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when a PostgreSQL server answers at `url` within a few seconds. */
export async function pgAnswers(url: string): Promise<boolean> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh, empty database on the test server; `drop()` removes it (and kicks stray connections). */
export async function createTempDatabase(serverUrl = pgServerUrl()): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `tradeops_t_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 2 });
    },
  };
}
