import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { MIGRATIONS_DIR, migrate, migrationsUpToDate } from '../../../src/adapters/db/migrate.ts';
import { childEnv } from '../../support/child-env.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';

const TABLES = ['candles', 'orders', 'fills', 'positions', 'balances', 'strategy_state', 'trading_state', 'audit_log', 'alert_outbox', 'backtest_runs'];

async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.rows<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
  return rows.map((r) => r.table_name);
}

async function schemaFingerprint(db: Database): Promise<string> {
  const rows = await db.rows<{ t: string; c: string; d: string }>(
    sql`select table_name as t, column_name as c, data_type as d from information_schema.columns where table_schema = 'public' order by 1, 2`,
  );
  return rows.map((r) => `${r.t}.${r.c}:${r.d}`).join('\n');
}

async function expectFreshThenNoop(db: Database): Promise<void> {
  expect(await migrationsUpToDate(db)).toBe(false);
  const first = await migrate(db);
  expect(first.applied).toBe(first.total);
  expect(first.total).toBeGreaterThan(0);
  const before = await schemaFingerprint(db);
  const second = await migrate(db);
  expect(second.applied).toBe(0);
  expect(await schemaFingerprint(db)).toBe(before);
  expect(await migrationsUpToDate(db)).toBe(true);
  const names = await tableNames(db);
  for (const t of TABLES) expect(names).toContain(t);
}

describe('migrations on PGlite', () => {
  it('apply on a fresh database, then change nothing on a second run', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      await expectFreshThenNoop(db);
      const money = await db.rows<{ data_type: string }>(sql`select data_type from information_schema.columns where table_name = 'orders' and column_name = 'amount'`);
      expect(money[0]?.data_type).toBe('numeric');
    } finally {
      await db.close();
    }
  });
});

describe('migrations on a database that has some of them', () => {
  it('a newer migration in the folder is applied (the up-to-date check that skips the migrator sees it)', async () => {
    // The folder as an older release shipped it: the journal without its newest entry.
    const older = join(mkdtempSync(join(tmpdir(), 'migrations-older-')), 'migrations');
    cpSync(MIGRATIONS_DIR, older, { recursive: true });
    const journalPath = join(older, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) }));
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const first = await migrate(db, older);
      expect(first).toEqual({ applied: journal.entries.length - 1, total: journal.entries.length - 1 });
      expect(await migrate(db, older)).toEqual({ applied: 0, total: journal.entries.length - 1 });
      expect(await migrationsUpToDate(db)).toBe(false);
      // The release with the newest migration: exactly that one is applied, then nothing more.
      expect(await migrate(db)).toEqual({ applied: 1, total: journal.entries.length });
      expect(await migrate(db)).toEqual({ applied: 0, total: journal.entries.length });
      expect(await migrationsUpToDate(db)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(pgServerUrl())('migrations on PostgreSQL', () => {
  it('apply on a fresh database, then change nothing on a second run', async () => {
    const temp = await createTempDatabase();
    const db = await openDatabase({ url: temp.url });
    try {
      await expectFreshThenNoop(db);
    } finally {
      await db.close();
      await temp.drop();
    }
  });

  it('two concurrent migrations in one process end with one schema and no error', async () => {
    const temp = await createTempDatabase();
    const a = await openDatabase({ url: temp.url });
    const b = await openDatabase({ url: temp.url });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect(ra.applied + rb.applied).toBe(ra.total);
      expect(Math.min(ra.applied, rb.applied)).toBe(0);
      const applied = await a.rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied[0]?.n).toBe(ra.total);
    } finally {
      await a.close();
      await b.close();
      await temp.drop();
    }
  });

  it('two concurrent `tradeops migrate` processes end with one schema and no error', async () => {
    const temp = await createTempDatabase();
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/tradeops.js', 'migrate'], { env: childEnv({ DATABASE_URL: temp.url, LOG_LEVEL: 'silent' }) });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
    try {
      const results = await Promise.all([run(), run()]);
      for (const r of results) expect(r.code, r.out).toBe(0);
      const applied = results.map((r) => Number(/(\d+) applied/.exec(r.out)?.[1]));
      expect(applied.sort()).toEqual([0, applied[1]]);
      expect(applied[1]).toBeGreaterThan(0);
      const db = await openDatabase({ url: temp.url });
      expect(await migrationsUpToDate(db)).toBe(true);
      await db.close();
    } finally {
      await temp.drop();
    }
  });
});
