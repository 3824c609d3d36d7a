import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_PG_SERVER, pgAnswers } from './pg-temp.ts';
import { makePgliteSnapshot, SNAPSHOT_ENV } from './pglite-snapshot.ts';

/**
 * Build dist/ from the current sources, then decide once per run whether database tests also run on a real PostgreSQL server:
 * TEST_DATABASE_URL when set (it must answer), else the local server if it answers. Workers read the
 * answer from process.env.TRADEOPS_TEST_PG_URL (empty = PGlite only) through pgServerUrl().
 * Also makes the migrated PGlite snapshot the workers' in-memory databases load (tests/support/pglite-snapshot.ts).
 */
export default async function setup(): Promise<() => void> {
  // The end-to-end tests run what users run — bin/tradeops.js over the built dist/ — so bring the
  // build up to date with the sources first (only changed files are transpiled).
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
  const candidate = process.env.TEST_DATABASE_URL ?? DEFAULT_PG_SERVER;
  const url = (await pgAnswers(candidate)) ? candidate : '';
  if (!url && process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL is set but does not answer: ${candidate.replace(/:[^:@/]+@/, ':***@')}`);
  process.env.TRADEOPS_TEST_PG_URL = url;
  // After the build: the snapshot is taken from the template the build just brought up to date.
  const snapshot = await makePgliteSnapshot();
  process.env[SNAPSHOT_ENV] = snapshot;
  return () => {
    if (snapshot) rmSync(dirname(snapshot), { recursive: true, force: true });
  };
}
