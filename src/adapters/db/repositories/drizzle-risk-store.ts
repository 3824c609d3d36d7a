import { and, asc, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { KillRun, PanicRow, RiskStore, SweepRecord } from '../../../ports/risk-store.ts';
import type { Db } from '../client.ts';
import { fills, killRuns, orders, panicScores, sweeps } from '../schema.ts';

type KillRow = typeof killRuns.$inferSelect;

function toKillRun(r: KillRow): KillRun {
  return {
    id: r.id,
    status: r.status as KillRun['status'],
    requestedBy: r.requestedBy,
    includeExternal: r.includeExternal,
    reason: r.reason,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt ?? undefined,
    items: (r.items ?? []) as KillRun['items'],
  };
}

/** The risk layer's persistence over drizzle (PGlite or Postgres). */
export class DrizzleRiskStore implements RiskStore {
  constructor(private readonly db: Db) {}

  async savePanic(rows: readonly PanicRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insert(panicScores)
      .values(rows.map((r) => ({ scope: r.scope, ts: r.ts, score: r.score, level: r.level, components: r.components as never })))
      .onConflictDoNothing();
  }

  async panicSince(scope: string, since: number): Promise<PanicRow[]> {
    const rows = await this.db.select().from(panicScores).where(and(eq(panicScores.scope, scope), gte(panicScores.ts, since))).orderBy(asc(panicScores.ts));
    return rows.map((r) => ({ scope: r.scope, ts: r.ts, score: r.score, level: r.level, components: r.components as PanicRow['components'] }));
  }

  async prunePanic(before: number): Promise<void> {
    await this.db.delete(panicScores).where(lt(panicScores.ts, before));
  }

  async createKillRun(run: Omit<KillRun, 'id'>): Promise<number> {
    const [row] = await this.db
      .insert(killRuns)
      .values({ status: run.status, requestedBy: run.requestedBy, includeExternal: run.includeExternal, reason: run.reason, startedAt: run.startedAt, finishedAt: run.finishedAt ?? null, items: run.items as never })
      .returning({ id: killRuns.id });
    return row!.id;
  }

  async updateKillRun(id: number, patch: Partial<Omit<KillRun, 'id'>>): Promise<void> {
    const set: Record<string, unknown> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.finishedAt !== undefined) set.finishedAt = patch.finishedAt;
    if (patch.items !== undefined) set.items = patch.items;
    if (patch.reason !== undefined) set.reason = patch.reason;
    if (Object.keys(set).length === 0) return;
    await this.db.update(killRuns).set(set).where(eq(killRuns.id, id));
  }

  async runningKillRun(): Promise<KillRun | undefined> {
    const [row] = await this.db.select().from(killRuns).where(eq(killRuns.status, 'running')).orderBy(desc(killRuns.id)).limit(1);
    return row ? toKillRun(row) : undefined;
  }

  async insertSweep(s: SweepRecord): Promise<number> {
    const [row] = await this.db
      .insert(sweeps)
      .values({ ts: s.ts, currency: s.currency, amount: s.amount, address: s.address, network: s.network ?? null, dryRun: s.dryRun, status: s.status, txId: s.txId ?? null, error: s.error ?? null, requestedBy: s.requestedBy })
      .returning({ id: sweeps.id });
    return row!.id;
  }

  async updateSweep(id: number, patch: Pick<SweepRecord, 'status'> & Partial<Pick<SweepRecord, 'txId' | 'error'>>): Promise<void> {
    await this.db
      .update(sweeps)
      .set({ status: patch.status, ...(patch.txId !== undefined ? { txId: patch.txId } : {}), ...(patch.error !== undefined ? { error: patch.error } : {}) })
      .where(eq(sweeps.id, id));
  }

  async sweptSince(currency: string, since: number): Promise<number> {
    const [row] = await this.db
      .select({ total: sql<string>`coalesce(sum(${sweeps.amount}), 0)` })
      .from(sweeps)
      .where(and(eq(sweeps.currency, currency), gte(sweeps.ts, since), eq(sweeps.dryRun, false), inArray(sweeps.status, ['sent', 'planned'])));
    return Number(row?.total ?? 0);
  }

  async closedTradePnls(strategy: string, symbol: string, limit: number): Promise<number[]> {
    const rows = await this.db
      .select({ pnl: fills.realizedPnl, fee: fills.fee })
      .from(fills)
      .innerJoin(orders, eq(orders.clientOrderId, fills.clientOrderId))
      .where(and(eq(orders.strategy, strategy), eq(fills.symbol, symbol), ne(fills.realizedPnl, 0)))
      .orderBy(desc(fills.ts))
      .limit(limit);
    return rows.map((r) => Number(r.pnl) - Number(r.fee));
  }
}
