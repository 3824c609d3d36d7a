import type { TestProject } from 'vitest/node';

/**
 * Decide once per run whether database tests also run on a real PostgreSQL server:
 * TEST_DATABASE_URL when set, else the local server if it answers. Workers read the answer from
 * process.env.TRADEOPS_TEST_PG_URL (empty = PGlite only).
 */
export default async function setup(project: TestProject): Promise<void> {
  const candidate = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let url = '';
  try {
    const { default: postgres } = await import('postgres');
    const sql = postgres(candidate, { max: 1, connect_timeout: 3, onnotice: () => {} });
    await sql`select 1`;
    await sql.end({ timeout: 1 });
    url = candidate;
  } catch {
    if (process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL is set but does not answer: ${candidate.replace(/:[^:@/]+@/, ':***@')}`);
  }
  process.env.TRADEOPS_TEST_PG_URL = url;
  project.provide('pgUrl', url);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
