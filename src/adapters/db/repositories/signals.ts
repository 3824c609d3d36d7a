import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { signals } from '../schema.ts';
import type { Signal } from '../../../signals/signal.ts';

export type SignalStatus = 'received' | 'executed' | 'denied' | 'failed' | 'expired';

export interface StoredSignal {
  source: string;
  signal: Signal;
  receivedAt: number;
  status: SignalStatus;
  outcome?: string;
}

/**
 * Record a signal before it is answered; false when (source, id) was seen before — the idempotency
 * check and the write are one statement, so two deliveries racing each other run once.
 */
export async function insertSignal(db: Db, source: string, signal: Signal, receivedAt: number): Promise<boolean> {
  const rows = await db
    .insert(signals)
    .values({ source, signalId: signal.id, receivedAt, senderTime: signal.time ?? null, symbol: signal.symbol ?? null, action: signal.action, payload: signal, status: 'received' })
    .onConflictDoNothing()
    .returning({ id: signals.signalId });
  return rows.length === 1;
}

export async function settleSignal(db: Db, source: string, id: string, status: Exclude<SignalStatus, 'received'>, outcome: string, at: number): Promise<void> {
  await db
    .update(signals)
    .set({ status, outcome: outcome.slice(0, 1000), processedAt: at })
    .where(and(eq(signals.source, source), eq(signals.signalId, id)));
}

export async function getSignal(db: Db, source: string, id: string): Promise<StoredSignal | undefined> {
  const [r] = await db.select().from(signals).where(and(eq(signals.source, source), eq(signals.signalId, id)));
  return r ? { source: r.source, signal: r.payload as Signal, receivedAt: r.receivedAt, status: r.status as SignalStatus, outcome: r.outcome ?? undefined } : undefined;
}

/** Signals accepted but not processed (the process stopped in between), oldest first. */
export async function unprocessedSignals(db: Db): Promise<StoredSignal[]> {
  const rows = await db.select().from(signals).where(eq(signals.status, 'received')).orderBy(signals.receivedAt);
  return rows.map((r) => ({ source: r.source, signal: r.payload as Signal, receivedAt: r.receivedAt, status: 'received' as const }));
}

/** Retention: forget settled signals received before `before` (their ids may then be reused). */
export async function pruneSignals(db: Db, before: number): Promise<void> {
  await db.delete(signals).where(and(lt(signals.receivedAt, before)));
}
