import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { CandleStore } from '../../../src/adapters/db/repositories/candles.ts';
import { allocCandles, candlesToRows, type Candles } from '../../../src/domain/candles.ts';
import { databaseTargets } from '../../support/databases.ts';
import { pgServerUrl } from '../../support/pg-temp.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function series(n: number, start = T0): Candles {
  const c = allocCandles(n);
  for (let i = 0; i < n; i++) {
    c.ts[i] = start + i * MIN;
    c.open[i] = 100 + i / 3;
    c.high[i] = 101 + i / 3;
    c.low[i] = 99 + i / 3;
    c.close[i] = 100.5 + i / 7;
    c.volume[i] = i / 11;
  }
  return c;
}

/** The candles primary key: its index (a new one when rebuilt) and its definition. */
async function primaryKey(database: Database): Promise<{ index: number; definition: string } | undefined> {
  const rows = await database.rows<{ index: number | string; definition: string }>(sql`
    select c.conindid::int as index, pg_get_constraintdef(c.oid) as definition from pg_constraint c
    where c.conrelid = 'candles'::regclass and c.contype = 'p' and c.conname = 'candles_exchange_symbol_timeframe_ts_pk'`);
  return rows[0] ? { index: Number(rows[0].index), definition: rows[0].definition } : undefined;
}

const DEFINITION = 'PRIMARY KEY (exchange, symbol, timeframe, ts)';

describe.each(databaseTargets())('a first COPY load into an empty candles table on $name', (target) => {
  let database: Database;
  let store: CandleStore;
  beforeEach(async () => {
    database = await target.open();
    store = new CandleStore(database);
  });
  afterAll(() => target.cleanup());

  it('builds the primary key once after the load (same name and definition, enforced), and only into an empty table', async () => {
    const before = (await primaryKey(database))!;
    expect(before.definition).toBe(DEFINITION);
    expect(await store.upsert('binance', 'BTC/USDT', '1m', series(2_500), { batchRows: 1_000, via: 'copy' })).toEqual({ inserted: 2_500, updated: 0, unchanged: 0 });
    const rebuilt = (await primaryKey(database))!;
    expect(rebuilt.definition).toBe(DEFINITION);
    expect(rebuilt.index).not.toBe(before.index);
    // The key works: a duplicate is refused by the database itself, and the next upsert counts exactly.
    const duplicate = await database
      .rows(sql`insert into candles (exchange, symbol, timeframe, ts, open, high, low, close, volume) values ('binance', 'BTC/USDT', '1m', ${T0}, 1, 1, 1, 1, 1)`)
      .then(() => undefined, (err: { cause?: { code?: string }; code?: string }) => err.cause?.code ?? err.code);
    expect(duplicate).toBe('23505'); // unique_violation
    expect(await store.upsert('binance', 'BTC/USDT', '1m', series(3_000), { batchRows: 1_000, via: 'copy' })).toEqual({ inserted: 500, updated: 0, unchanged: 2_500 });
    // Another series into the non-empty table: the key is maintained, not rebuilt.
    expect(await store.upsert('binance', 'ETH/USDT', '1m', series(1_500), { via: 'copy' })).toEqual({ inserted: 1_500, updated: 0, unchanged: 0 });
    expect((await primaryKey(database))!.index).toBe(rebuilt.index);
    expect((await store.range('binance', 'BTC/USDT', '1m'))!.count).toBe(3_000);
    expect(candlesToRows(await store.load('binance', 'ETH/USDT', '1m'))).toEqual(candlesToRows(series(1_500)));
  });

  it('is all or nothing: a failure after some batches leaves the table empty with its key', async () => {
    const before = (await primaryKey(database))!;
    const failing = store.upsert('binance', 'BTC/USDT', '1m', series(3_000), {
      batchRows: 1_000,
      via: 'copy',
      onProgress: (done) => {
        if (done === 2_000) throw new Error('stopped after the second batch');
      },
    });
    await expect(failing).rejects.toThrow(/second batch/);
    expect(await primaryKey(database)).toEqual(before);
    expect(await store.range('binance', 'BTC/USDT', '1m')).toBeUndefined();
    expect(await store.upsert('binance', 'BTC/USDT', '1m', series(1_200), { via: 'copy' })).toEqual({ inserted: 1_200, updated: 0, unchanged: 0 });
  });

  it.runIf(target.name === 'postgres')('waits for nobody: with the table in use by another session the usual path runs', async () => {
    const client = (database.db as unknown as { $client: import('postgres').Sql }).$client;
    const other = await client.reserve();
    try {
      await other.unsafe('begin');
      await other.unsafe('lock table candles in access share mode');
      const before = (await primaryKey(database))!;
      const written = await Promise.race([
        store.upsert('binance', 'BTC/USDT', '1m', series(2_000), { via: 'copy' }),
        new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000)),
      ]);
      expect(written).toEqual({ inserted: 2_000, updated: 0, unchanged: 0 });
      expect((await primaryKey(database))!.index).toBe(before.index);
    } finally {
      await other.unsafe('rollback');
      other.release();
    }
    expect((await store.range('binance', 'BTC/USDT', '1m'))!.count).toBe(2_000);
  });

  it.runIf(target.name === 'postgres')('a role that may write candles but does not own the table imports through the usual path', async () => {
    const role = `tradeops_t_writer_${process.pid}_${Date.now()}`;
    const [{ name }] = await database.rows<{ name: string }>(sql`select current_database() as name`);
    await database.rows(sql.raw(`create role ${role} login`));
    await database.rows(sql.raw(`grant select, insert, update on candles to ${role}`));
    const url = new URL(pgServerUrl());
    url.username = role;
    url.password = '';
    url.pathname = `/${name}`;
    const writer = await openDatabase({ url: url.toString(), maxConnections: 1 });
    try {
      const before = (await primaryKey(database))!;
      expect(await new CandleStore(writer).upsert('binance', 'BTC/USDT', '1m', series(2_000), { via: 'copy' })).toEqual({ inserted: 2_000, updated: 0, unchanged: 0 });
      expect((await primaryKey(database))!.index).toBe(before.index);
    } finally {
      await writer.close();
      await database.rows(sql.raw(`revoke all on candles from ${role}`));
      await database.rows(sql.raw(`drop role ${role}`));
    }
    expect((await store.range('binance', 'BTC/USDT', '1m'))!.count).toBe(2_000);
  });
});
