import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase, PGLITE_SETTINGS, wrapPglite } from '../../src/adapters/db/client.ts';
import { migrate } from '../../src/adapters/db/migrate.ts';
import { PGLITE_TEMPLATE_DIR } from '../../src/adapters/db/pglite-template.ts';
import { compilePgliteWasm } from '../../src/adapters/db/pglite-wasm.ts';

/**
 * A migrated in-memory PGlite for a test, without running initdb in the test's process.
 *
 * A fresh `openDatabase({ dataDir: 'memory://' })` runs initdb in WASM (3–5 s of CPU on the 2-core
 * machine) before the migrations; loading a snapshot of an already initialised and migrated data
 * directory takes ~0.7 s. tests/support/global-setup.ts makes the snapshot once per run from the
 * build's template (dist/pglite-template/: initdb plus every migration, rebuilt by scripts/build.mjs
 * whenever the migrations change) and names its file in TRADEOPS_TEST_PGLITE_SNAPSHOT. Without it (a
 * run without that global setup, such as the mutation runs) a database is made the slow way, with the
 * same result: every open gives an independent, migrated, empty database.
 */
export const SNAPSHOT_ENV = 'TRADEOPS_TEST_PGLITE_SNAPSHOT';

/** Run once (global setup): the template as a tar PGlite can load; returns its path, or '' when there is no template. */
export async function makePgliteSnapshot(template = PGLITE_TEMPLATE_DIR): Promise<string> {
  if (!existsSync(join(template, 'PG_VERSION'))) return '';
  const work = mkdtempSync(join(tmpdir(), 'tradeops-pglite-snapshot-'));
  // PGlite writes into the directory it opens (pid file, WAL): open a copy, never the template itself.
  const dir = join(work, 'pgdata');
  cpSync(template, dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = new PGlite(dir);
  let tar: Blob;
  try {
    await pg.waitReady;
    tar = await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
  rmSync(dir, { recursive: true, force: true });
  const file = join(work, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
  return file;
}

let snapshot: Buffer | undefined;

/** A new migrated, empty in-memory PGlite (the production memory settings); close it when done. */
export async function openMigratedPglite(): Promise<Database> {
  const file = process.env[SNAPSHOT_ENV];
  if (!file) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return database;
  }
  snapshot ??= readFileSync(file);
  const { PGlite } = await import('@electric-sql/pglite');
  // As openDatabase does: the module compiled once per process, the bot's memory settings.
  const pgliteWasmModule = await compilePgliteWasm().catch(() => undefined);
  const client = new PGlite({ loadDataDir: new Blob([snapshot]), pgliteWasmModule, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((s) => ['-c', s])] });
  await client.waitReady;
  return wrapPglite(client, 'memory (snapshot)');
}
