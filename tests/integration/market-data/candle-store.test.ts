import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { CandleStore } from '../../../src/adapters/db/repositories/candles.ts';
import { findGaps } from '../../../src/domain/candle-gaps.ts';
import { allocCandles, candlesFromRows, candlesToRows, sliceCandles, type Candles } from '../../../src/domain/candles.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';
import { databaseTargets } from '../../support/databases.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const FIXTURES = join(import.meta.dirname, '../../fixtures/candles');

/** n contiguous 1m candles with awkward doubles (no short decimal form) so any text round-trip would show. */
function series(n: number, start = T0, seed = 1): Candles {
  const c = allocCandles(n);
  let price = 40_000 + seed / 3;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = open * (1 + Math.sin(i * 0.7 + seed) / 997);
    c.ts[i] = start + i * MIN;
    c.open[i] = open;
    c.close[i] = price;
    c.high[i] = Math.max(open, price) * (1 + 1 / 3001);
    c.low[i] = Math.min(open, price) * (1 - 1 / 2999);
    c.volume[i] = i % 17 === 0 ? 0 : (i + seed) / 7;
  }
  return c;
}

const columns = (c: Candles) => candlesToRows(c);

describe.each(databaseTargets())('candle store on $name', (target) => {
  let database: Database;
  let store: CandleStore;
  beforeEach(async () => {
    database = await target.open();
    store = new CandleStore(database);
  });
  afterAll(() => target.cleanup());

  it('upserts idempotently: a second identical upsert inserts and updates nothing', async () => {
    const c = series(2_500);
    expect(await store.upsert('binance', 'BTC/USDT', '1m', c, { batchRows: 1_000 })).toEqual({ inserted: 2_500, updated: 0, unchanged: 0 });
    expect(await store.upsert('binance', 'BTC/USDT', '1m', c, { batchRows: 1_000 })).toEqual({ inserted: 0, updated: 0, unchanged: 2_500 });
    expect((await store.range('binance', 'BTC/USDT', '1m'))!.count).toBe(2_500);
  });

  it('loads exactly what was stored (bit for bit), ascending, as columns of the right length', async () => {
    const c = series(3_001, T0, 7);
    // Extremes a float8 must carry unchanged: tiny and huge magnitudes, many digits, integer volume.
    c.open[5] = 1e-12;
    c.low[5] = 1e-12;
    c.high[6] = 1.7976931348623157e308;
    c.close[7] = 0.1 + 0.2;
    await store.upsert('binance', 'BTC/USDT', '1m', c);
    const back = await store.load('binance', 'BTC/USDT', '1m');
    expect(back.length).toBe(3_001);
    for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(back[k]).toBeInstanceOf(Float64Array);
      expect(back[k].length).toBe(3_001);
      expect(Array.from(back[k])).toEqual(Array.from(c[k]));
    }
  });

  it('loads a half-open window [from, to), and nothing for an unknown or empty series', async () => {
    const c = series(100);
    await store.upsert('binance', 'BTC/USDT', '1m', c);
    const w = await store.load('binance', 'BTC/USDT', '1m', T0 + 10 * MIN, T0 + 20 * MIN);
    expect(columns(w)).toEqual(columns(sliceCandles(c, 10, 20)));
    expect((await store.load('binance', 'BTC/USDT', '1m', T0 + 95 * MIN)).length).toBe(5);
    expect((await store.load('binance', 'BTC/USDT', '1m', undefined, T0 + 3 * MIN)).length).toBe(3);
    const none = await store.load('binance', 'ETH/USDT', '1m');
    expect(none.length).toBe(0);
    expect(none.close.length).toBe(0);
    expect(await store.range('binance', 'ETH/USDT', '1m')).toBeUndefined();
    expect(await store.latestTs('binance', 'ETH/USDT', '1m')).toBeUndefined();
  });

  it('keeps series apart by exchange, symbol and timeframe, including names that need quoting', async () => {
    const odd = "we'ird $c$ sym\\bol";
    await store.upsert('binance', 'BTC/USDT', '1m', series(10));
    await store.upsert('binance', odd, '1m', series(4, T0, 3));
    await store.upsert('bybit', 'BTC/USDT', '1m', series(3, T0, 5));
    await store.upsert('binance', 'BTC/USDT', '5m', candlesFromRows([{ ts: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }]));
    expect((await store.load('binance', 'BTC/USDT', '1m')).length).toBe(10);
    expect(columns(await store.load('binance', odd, '1m'))).toEqual(columns(series(4, T0, 3)));
    expect((await store.load('bybit', 'BTC/USDT', '1m')).length).toBe(3);
    expect(columns(await store.load('binance', 'BTC/USDT', '5m'))).toEqual([{ ts: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }]);
  });

  it.each(['copy', 'statements'] as const)('update overwrites only changed candles; keep leaves stored values alone (via %s)', async (via) => {
    const c = series(50);
    await store.upsert('binance', 'BTC/USDT', '1m', c, { via });
    const changed = candlesFromRows(candlesToRows(c));
    changed.close[3] = changed.close[3]! + 1;
    changed.high[3] = changed.high[3]! + 1;
    changed.volume[40] = 123.5;
    const extra = candlesFromRows([...candlesToRows(changed), { ts: T0 + 50 * MIN, open: 1, high: 1, low: 1, close: 1, volume: 0 }]);

    expect(await store.upsert('binance', 'BTC/USDT', '1m', extra, { onConflict: 'keep', via })).toEqual({ inserted: 1, updated: 0, unchanged: 50 });
    expect((await store.load('binance', 'BTC/USDT', '1m')).close[3]).toBe(c.close[3]);

    expect(await store.upsert('binance', 'BTC/USDT', '1m', extra, { onConflict: 'update', via })).toEqual({ inserted: 0, updated: 2, unchanged: 49 });
    const back = await store.load('binance', 'BTC/USDT', '1m');
    expect(back.close[3]).toBe(changed.close[3]);
    expect(back.volume[40]).toBe(123.5);
    expect(back.length).toBe(51);
  });

  it.each(['copy', 'statements'] as const)('reports progress per batch and handles batches that do not divide the series (via %s)', async (via) => {
    const calls: Array<[number, number]> = [];
    const c = series(23, Date.UTC(1969, 11, 31, 23, 50)); // open times before 1970 too (negative int8)
    const r = await store.upsert('binance', 'BTC/USDT', '1m', c, { batchRows: 5, via, onProgress: (d, t) => calls.push([d, t]) });
    expect(r.inserted).toBe(23);
    expect(calls).toEqual([[5, 23], [10, 23], [15, 23], [20, 23], [23, 23]]);
    expect(columns(await store.load('binance', 'BTC/USDT', '1m'))).toEqual(columns(c));
    // Again, with an overlapping batch: duplicates are ignored, exact counts.
    expect(await store.upsert('binance', 'BTC/USDT', '1m', c, { batchRows: 7, via, onConflict: 'keep' })).toEqual({ inserted: 0, updated: 0, unchanged: 23 });
  });

  it('refuses unsorted, duplicate or non-finite candles before writing anything', async () => {
    const dup = candlesFromRows([{ ts: T0, open: 1, high: 1, low: 1, close: 1, volume: 1 }, { ts: T0, open: 2, high: 2, low: 2, close: 2, volume: 1 }]);
    await expect(store.upsert('binance', 'BTC/USDT', '1m', dup)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const nan = series(3);
    nan.close[2] = Number.NaN;
    await expect(store.upsert('binance', 'BTC/USDT', '1m', nan)).rejects.toThrow(/finite/);
    const frac = series(2);
    frac.ts[1] = frac.ts[1]! + 0.5;
    await expect(store.upsert('binance', 'BTC/USDT', '1m', frac)).rejects.toThrow(/whole number/);
    await expect(store.upsert('', 'BTC/USDT', '1m', series(1))).rejects.toThrow(/exchange/);
    expect(await store.range('binance', 'BTC/USDT', '1m')).toBeUndefined();
  });

  it('gives range, earliest/latest and gaps computed in the database (717 missing in 538 gaps on freqtrade UNITTEST)', async () => {
    const c = parseCandleText(readFileSync(join(FIXTURES, 'freqtrade_UNITTEST_BTC-1m.json'), 'utf8'), 'freqtrade_UNITTEST_BTC-1m.json');
    await store.upsert('binance', 'BTC/USDT', '1m', c);
    const r = (await store.range('binance', 'BTC/USDT', '1m'))!;
    expect(r).toEqual({ first: c.ts[0], last: c.ts[c.length - 1], count: c.length });
    expect(await store.earliestTs('binance', 'BTC/USDT', '1m')).toBe(c.ts[0]);
    expect(await store.latestTs('binance', 'BTC/USDT', '1m')).toBe(c.ts[c.length - 1]);
    const gaps = await store.gaps('binance', 'BTC/USDT', '1m', MIN);
    expect(gaps.missing).toBe(717);
    expect(gaps.gaps.length).toBe(538);
    expect(gaps).toEqual(findGaps(c, MIN));
    // A window: only the holes inside it.
    const from = c.ts[1000]!;
    const to = c.ts[2000]!;
    expect(await store.gaps('binance', 'BTC/USDT', '1m', MIN, from, to)).toEqual(findGaps(sliceCandles(c, 1000, 2000), MIN));
    expect(await store.range('binance', 'BTC/USDT', '1m', from, to)).toEqual({ first: from, last: c.ts[1999], count: 1000 });
  });

  it('deletes a window or a whole series and says how many', async () => {
    await store.upsert('binance', 'BTC/USDT', '1m', series(30));
    await store.upsert('binance', 'ETH/USDT', '1m', series(5));
    expect(await store.delete('binance', 'BTC/USDT', '1m', T0 + 10 * MIN, T0 + 20 * MIN)).toBe(10);
    expect((await store.load('binance', 'BTC/USDT', '1m')).length).toBe(20);
    expect(await store.delete('binance', 'BTC/USDT', '1m')).toBe(20);
    expect(await store.range('binance', 'BTC/USDT', '1m')).toBeUndefined();
    expect((await store.load('binance', 'ETH/USDT', '1m')).length).toBe(5);
  });

  it('loads while another upsert is running on the same database without deadlock or torn reads', async () => {
    await store.upsert('binance', 'BTC/USDT', '1m', series(1_000));
    const [, loaded, again] = await Promise.all([
      store.upsert('binance', 'BTC/USDT', '1m', series(3_000, T0 + 1_000 * MIN, 9), { batchRows: 500 }),
      store.load('binance', 'BTC/USDT', '1m'),
      store.latestTs('binance', 'BTC/USDT', '1m'),
    ]);
    // Either before or after the other transaction, never half of it.
    expect([1_000, 4_000]).toContain(loaded.length);
    expect([T0 + 999 * MIN, T0 + 3_999 * MIN]).toContain(again);
    expect((await store.load('binance', 'BTC/USDT', '1m')).length).toBe(4_000);
  });
});

describe('candle load errors', () => {
  it.each(databaseTargets().map((t) => t.name))('on %s: a failed load rejects with the database message and leaves the connection usable', async (name) => {
    // Not migrated: the candles table does not exist.
    const temp = name === 'postgres' ? await createTempDatabase(pgServerUrl()) : undefined;
    const database = await openDatabase(temp ? { url: temp.url, maxConnections: 1 } : { dataDir: 'memory://' });
    try {
      const store = new CandleStore(database);
      await expect(store.load('binance', 'BTC/USDT', '1m')).rejects.toThrow(/relation "candles" does not exist/);
      expect(await database.ping()).toBe(true);
      await expect(store.load('binance', 'BTC/USDT', '1m')).rejects.toThrow(/does not exist/);
    } finally {
      await database.close();
      await temp?.drop();
    }
  });
});
