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
  return (await insertSignals(db, [{ source, signal, receivedAt }]))[0]!;
}

/**
 * Record several signals in one statement (the intake's group commit): true per signal that is new,
 * false for a (source, id) seen before — in the database or earlier in the same batch.
 */
export async function insertSignals(db: Db, batch: ReadonlyArray<{ source: string; signal: Signal; receivedAt: number }>): Promise<boolean[]> {
  const key = (source: string, id: string) => `${source}\u0000${id}`;
  const firstOf = new Map<string, number>();
  batch.forEach((b, k) => {
    const kk = key(b.source, b.signal.id);
    if (!firstOf.has(kk)) firstOf.set(kk, k);
  });
  const unique = [...firstOf.values()].map((k) => batch[k]!);
  if (unique.length === 0) return [];
  const rows = await db
    .insert(signals)
    .values(unique.map(({ source, signal, receivedAt }) => ({ source, signalId: signal.id, receivedAt, senderTime: signal.time ?? null, symbol: signal.symbol ?? null, action: signal.action, payload: signal, status: 'received' })))
    .onConflictDoNothing()
    .returning({ source: signals.source, id: signals.signalId });
  const inserted = new Set(rows.map((r) => key(r.source, r.id)));
  return batch.map((b, k) => {
    const kk = key(b.source, b.signal.id);
    return firstOf.get(kk) === k && inserted.has(kk);
  });
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
