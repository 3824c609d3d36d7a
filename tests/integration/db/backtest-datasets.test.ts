import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../src/adapters/db/client.ts';
import { createDbBacktestDatasets } from '../../../src/adapters/db/repositories/backtest-datasets.ts';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { databaseTargets } from '../../support/databases.ts';

const rows = Array.from({ length: 500 }, (_, i) => ({ ts: Date.UTC(2024, 0, 1) + i * 60_000, open: 100 + i / 7, high: 101 + i / 7, low: 99 + i / 7, close: 100.5 + i / 7, volume: 1 / (i + 3) }));

describe.each(databaseTargets())('backtest candle datasets on $name', (target) => {
  let database: Database;
  beforeEach(async () => {
    database = await target.open();
  });
  afterAll(() => target.cleanup());

  it('stores candles once by content, reads them back bit for bit, refreshes a set put again, prunes old ones', async () => {
    let t = 1_000;
    const datasets = createDbBacktestDatasets(database.db, () => t);
    const candles = candlesFromRows(rows);
    const id = await datasets.put(candles);
    t = 5_000;
    expect(await datasets.put(candles)).toBe(id);
    const count = await database.rows<{ n: number }>(sql`select count(*)::int as n, max(created_at)::bigint as t from backtest_datasets`);
    expect(Number(count[0]!.n)).toBe(1);
    const back = (await datasets.get(id))!;
    expect(back.length).toBe(500);
    for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...back[f]]).toEqual([...candles[f].subarray(0, 500)]);
    expect(await datasets.get('sha256:nope')).toBeUndefined();
    const other = await datasets.put(candlesFromRows(rows.slice(0, 10)));
    t = 9_000;
    // The first set was refreshed at 5,000, the second stored at 5,000 too: a cut at 4,000 keeps both.
    expect(await datasets.prune(4_000)).toBe(0);
    expect(await datasets.prune(6_000)).toBe(2);
    expect(await datasets.get(id)).toBeUndefined();
    expect(await datasets.get(other)).toBeUndefined();
  });
});
