/**
 * The build's embedded-database template (dist/pglite-template/, made by scripts/build.mjs and built
 * by the test run's global setup) carries the schema: a new data directory seeded from it has every
 * migration applied, so opening it migrates nothing (docs/performance.md, "Open what is needed").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/client.ts';
import { migrate, migrationsUpToDate } from '../../../src/adapters/db/migrate.ts';

const TEMPLATE = resolve(import.meta.dirname, '../../../dist/pglite-template');

describe('the embedded-database template of the build', () => {
  it('is stamped with a hash of the migrations folder it was migrated with (a changed folder rebuilds it)', () => {
    expect(readFileSync(`${TEMPLATE}.migrations`, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('seeds a new data directory that is already migrated: opening it applies nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'template-migrated-'));
    const database = await openDatabase({ dataDir });
    try {
      expect(await migrationsUpToDate(database)).toBe(true);
      const result = await migrate(database);
      expect(result.applied).toBe(0);
      expect(result.total).toBeGreaterThan(0);
      expect(await database.rows<{ n: number }>(sql`select count(*)::int as n from candles`)).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
