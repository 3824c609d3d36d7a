/**
 * The in-memory databases the other tests open (tests/support/pglite-snapshot.ts): loaded from the
 * run's snapshot of the build's migrated template, each must be what a fresh PGlite plus the
 * migrations would be — migrated, empty, with the bot's memory settings — and independent of the others.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../../src/adapters/db/client.ts';
import { migrate, migrationsUpToDate } from '../../../src/adapters/db/migrate.ts';
import { openMigratedPglite, SNAPSHOT_ENV } from '../../support/pglite-snapshot.ts';

const opened: Database[] = [];
const open = async (d: Promise<Database>) => {
  const database = await d;
  opened.push(database);
  return database;
};
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

const columns = async (db: Database) =>
  (await db.rows<{ t: string; c: string; d: string }>(sql`select table_name as t, column_name as c, data_type as d from information_schema.columns where table_schema = 'public' order by 1, 2`))
    .map((r) => `${r.t}.${r.c}:${r.d}`)
    .join('\n');

describe('in-memory PGlite from the run snapshot', () => {
  it('the global setup made a snapshot, and a database opened from it is the schema a fresh database migrates to', async () => {
    expect(process.env[SNAPSHOT_ENV]).toMatch(/pglite-template\.tar$/);
    const fromSnapshot = await open(openMigratedPglite());
    expect(fromSnapshot.location).toBe('memory (snapshot)');
    expect(await migrationsUpToDate(fromSnapshot)).toBe(true);
    expect((await migrate(fromSnapshot)).applied).toBe(0);
    const fresh = await open(openDatabase({ dataDir: 'memory://' }));
    expect((await migrate(fresh)).applied).toBeGreaterThan(0);
    expect(await columns(fromSnapshot)).toBe(await columns(fresh));
    const [settings] = await fromSnapshot.rows<{ shared_buffers: string }>(sql`show shared_buffers`);
    expect(settings!.shared_buffers).toBe('16MB');
  });

  it('every database is empty and independent of the others', async () => {
    const a = await open(openMigratedPglite());
    const b = await open(openMigratedPglite());
    const empty = await a.rows<{ n: number }>(sql`select (select count(*) from orders)::int + (select count(*) from candles)::int + (select count(*) from audit_log)::int as n`);
    expect(empty[0]!.n).toBe(0);
    await a.rows(sql`insert into trading_state (id, state, reason, changed_by, changed_at) values (1, 'HALTED', 'test', 'test', 0)`);
    expect(await a.rows(sql`select state from trading_state`)).toEqual([{ state: 'HALTED' }]);
    expect(await b.rows(sql`select state from trading_state`)).toEqual([]);
  });
});
