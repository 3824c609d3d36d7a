import { eq, lt } from 'drizzle-orm';
import { datasetId, decodeCandles, encodeCandles } from '../../../backtest/jobs/dataset-codec.ts';
import type { Candles } from '../../../domain/candles.ts';
import type { BacktestDatasets } from '../../../ports/backtest-datasets.ts';
import type { Db } from '../client.ts';
import { backtestDatasets } from '../schema.ts';

/** backtest_datasets: candles of queued backtest jobs, by content hash (ports/backtest-datasets.ts). */
export function createDbBacktestDatasets(db: Db, now: () => number = Date.now): BacktestDatasets {
  return {
    async put(candles: Candles) {
      const bytes = encodeCandles(candles);
      const id = datasetId(bytes);
      const t = now();
      await db.insert(backtestDatasets).values({ id, createdAt: t, length: candles.length, data: bytes }).onConflictDoUpdate({ target: backtestDatasets.id, set: { createdAt: t } });
      return id;
    },
    async prune(before: number) {
      const rows = await db.delete(backtestDatasets).where(lt(backtestDatasets.createdAt, before)).returning({ id: backtestDatasets.id });
      return rows.length;
    },
    async get(id: string) {
      const [row] = await db.select({ data: backtestDatasets.data }).from(backtestDatasets).where(eq(backtestDatasets.id, id));
      return row ? decodeCandles(new Uint8Array(row.data)) : undefined;
    },
  };
}
