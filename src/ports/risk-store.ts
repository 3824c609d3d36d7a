import type { KillAllLine } from '../domain/events.ts';
import type { PanicComponent } from '../risk/panic/panic-score.ts';

export interface PanicRow {
  scope: string;
  ts: number;
  score: number;
  level: string;
  components: PanicComponent[];
}

/** One symbol of a kill-all run: what tradeops holds there and how closing it went. */
export interface KillItem extends KillAllLine {
  /** Signed base quantity tradeops held when the run planned it (0: only orders to cancel). */
  quantity: number;
  /** clientOrderIds of the open orders to cancel. */
  cancel: string[];
  /** clientOrderId of the reduce-only close, once chosen: looked up before any resend. */
  closeId?: string;
  /** Send attempts of the close so far. */
  attempts: number;
  avgPrice?: number;
  /** include-external (spot): base coins tradeops did not buy, sold after its own position. */
  external?: number;
  externalId?: string;
  /** When the external sell was last sent (stored before it leaves): a lookup that finds nothing waits out its request window. */
  externalSentAt?: number;
}

export interface KillRun {
  id: number;
  status: 'running' | 'done';
  requestedBy: string;
  includeExternal: boolean;
  reason: string;
  startedAt: number;
  finishedAt?: number;
  items: KillItem[];
}

export interface SweepRecord {
  ts: number;
  currency: string;
  amount: number;
  address: string;
  network?: string;
  dryRun: boolean;
  status: 'planned' | 'sent' | 'failed';
  txId?: string;
  error?: string;
  requestedBy: string;
}

/**
 * Persistence of the risk layer: panic history, kill-all runs (resumable), sweeps, and the closed
 * trades Kelly sizing is estimated from. Implemented over drizzle (PGlite or Postgres).
 */
export interface RiskStore {
  savePanic(rows: readonly PanicRow[]): Promise<void>;
  panicSince(scope: string, since: number): Promise<PanicRow[]>;
  /** Drop history older than `before` (the history is kept 30 days). */
  prunePanic(before: number): Promise<void>;
  createKillRun(run: Omit<KillRun, 'id'>): Promise<number>;
  updateKillRun(id: number, patch: Partial<Omit<KillRun, 'id'>>): Promise<void>;
  /** The run still marked running (a process killed halfway), if any. */
  runningKillRun(): Promise<KillRun | undefined>;
  /** Store a sweep; a real one is stored `planned` before the withdrawal leaves (write-ahead). Returns its id. */
  insertSweep(s: SweepRecord): Promise<number>;
  /** Record how a sweep ended. */
  updateSweep(id: number, patch: Pick<SweepRecord, 'status'> & Partial<Pick<SweepRecord, 'txId' | 'error'>>): Promise<void>;
  /**
   * Quote currency sent or possibly sent (real sweeps `sent`, or still `planned`: the answer was lost)
   * since `since` — what SWEEP_MAX_PER_DAY counts. Dry runs and failures do not count.
   */
  sweptSince(currency: string, since: number): Promise<number>;
  /** Net P&L (realised − fees) of the last `limit` closing fills of a strategy on a symbol, newest first. */
  closedTradePnls(strategy: string, symbol: string, limit: number): Promise<number[]>;
}
