import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { factors } from '../schema.ts';
import type { FactorReading } from '../../../ports/factors.ts';

/** Append readings (a repeated (symbol, name, ts) keeps the first value). */
export async function insertFactors(db: Db, readings: readonly FactorReading[], source: string, receivedAt: number): Promise<void> {
  if (readings.length === 0) return;
  await db
    .insert(factors)
    .values(readings.map((r) => ({ symbol: r.symbol, name: r.name, ts: r.ts, value: r.value, source, receivedAt })))
    .onConflictDoNothing();
}

/** The newest reading of every (symbol, name), to warm the in-memory book at start. */
export async function latestFactors(db: Db): Promise<FactorReading[]> {
  const rows = await db
    .selectDistinctOn([factors.symbol, factors.name], { symbol: factors.symbol, name: factors.name, value: factors.value, ts: factors.ts })
    .from(factors)
    .orderBy(factors.symbol, factors.name, sql`${factors.ts} desc`);
  return rows.map((r) => ({ symbol: r.symbol, name: r.name, value: Number(r.value), ts: Number(r.ts) }));
}
