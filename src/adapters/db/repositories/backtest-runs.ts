import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { BacktestRunView } from '../../../../commands/services.ts';
import type { Db } from '../client.ts';
import { backtestRuns } from '../schema.ts';

export type BacktestRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** Where a finished run's outputs are (paths) and its text summary. */
export interface BacktestRunFiles {
  summary?: string;
  chartPath?: string;
  dir?: string;
  [name: string]: string | undefined;
}

export interface BacktestRunRecord {
  id: number;
  createdAt: number;
  status: BacktestRunStatus;
  source: 'cli' | 'chat';
  requestedBy?: { platform: string; userId: string; chatId?: string };
  strategy: string;
  symbol: string;
  timeframe: string;
  fromTs?: number;
  toTs?: number;
  params: Record<string, unknown>;
  options: Record<string, unknown>;
  metrics?: Record<string, number | string | null>;
  files?: BacktestRunFiles;
  progress: number;
  error?: string;
  startedAt?: number;
  finishedAt?: number;
  /** The job-queue job running it ('preparing' while its candles are being gathered). */
  jobId?: string;
}

export interface NewBacktestRun {
  source: 'cli' | 'chat';
  requestedBy?: BacktestRunRecord['requestedBy'];
  strategy: string;
  symbol: string;
  timeframe: string;
  fromTs?: number;
  toTs?: number;
  params: Record<string, unknown>;
  options?: Record<string, unknown>;
  /** `queued` for the job runner (default), `running` for a run the caller executes itself (CLI). */
  status?: 'queued' | 'running';
}

type Row = typeof backtestRuns.$inferSelect;

function toRecord(r: Row): BacktestRunRecord {
  return {
    id: r.id,
    createdAt: r.createdAt,
    status: r.status as BacktestRunStatus,
    source: r.source as 'cli' | 'chat',
    requestedBy: (r.requestedBy ?? undefined) as BacktestRunRecord['requestedBy'],
    strategy: r.strategy,
    symbol: r.symbol,
    timeframe: r.timeframe,
    fromTs: r.fromTs ?? undefined,
    toTs: r.toTs ?? undefined,
    params: (r.params ?? {}) as Record<string, unknown>,
    options: (r.options ?? {}) as Record<string, unknown>,
    metrics: (r.metrics ?? undefined) as BacktestRunRecord['metrics'],
    files: (r.files ?? undefined) as BacktestRunFiles | undefined,
    progress: r.progress,
    error: r.error ?? undefined,
    startedAt: r.startedAt ?? undefined,
    finishedAt: r.finishedAt ?? undefined,
    jobId: r.jobId ?? undefined,
  };
}

/** The chat-facing view of a run (commands/services.ts). */
export function toBacktestRunView(r: BacktestRunRecord): BacktestRunView {
  return {
    id: r.id,
    status: r.status,
    strategy: r.strategy,
    symbol: r.symbol,
    timeframe: r.timeframe,
    createdAt: r.createdAt,
    progress: r.progress,
    params: r.params,
    metrics: r.metrics,
    summary: r.files?.summary,
    chartPath: r.files?.chartPath,
    error: r.error,
  };
}

/**
 * backtest_runs: every backtest, from the CLI or chat. A chat run is queued here, then handed to the
 * job queue (`jobId`); whichever worker takes the job moves the row on (running, progress, done or
 * failed) and every bot process watches the rows to show progress and announce the end once.
 */
export class BacktestRunsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async create(run: NewBacktestRun): Promise<BacktestRunRecord> {
    const t = this.now();
    const running = run.status === 'running';
    const [row] = await this.db
      .insert(backtestRuns)
      .values({
        createdAt: t,
        status: run.status ?? 'queued',
        source: run.source,
        requestedBy: run.requestedBy ?? null,
        strategy: run.strategy,
        symbol: run.symbol,
        timeframe: run.timeframe,
        fromTs: run.fromTs ?? null,
        toTs: run.toTs ?? null,
        params: run.params,
        options: run.options ?? {},
        progress: 0,
        startedAt: running ? t : null,
        announcePending: run.source === 'chat',
      })
      .returning();
    return toRecord(row!);
  }

  async get(id: number): Promise<BacktestRunRecord | undefined> {
    const [row] = await this.db.select().from(backtestRuns).where(eq(backtestRuns.id, id));
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async list(limit: number): Promise<BacktestRunRecord[]> {
    const rows = await this.db.select().from(backtestRuns).orderBy(desc(backtestRuns.id)).limit(Math.max(1, Math.min(limit, 500)));
    return rows.map(toRecord);
  }

  /** A worker took the run: `running` from now (a retried job starts over). Undefined when it already ended. */
  async markRunning(id: number): Promise<BacktestRunRecord | undefined> {
    const [row] = await this.db
      .update(backtestRuns)
      .set({ status: 'running', startedAt: this.now(), progress: 0, error: null })
      .where(and(eq(backtestRuns.id, id), inArray(backtestRuns.status, ['queued', 'running'])))
      .returning();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Claim a queued run that has no job yet for this process to prepare (true once per run across
   * processes: the one that queues it, or at start whoever finds it left unqueued by a dead process).
   */
  async claimUnqueued(id: number): Promise<boolean> {
    const rows = await this.db
      .update(backtestRuns)
      .set({ jobId: 'preparing' })
      .where(and(eq(backtestRuns.id, id), eq(backtestRuns.status, 'queued'), isNull(backtestRuns.jobId)))
      .returning({ id: backtestRuns.id });
    return rows.length === 1;
  }

  async setJob(id: number, jobId: string): Promise<void> {
    await this.db.update(backtestRuns).set({ jobId }).where(eq(backtestRuns.id, id));
  }

  /** Queued chat runs no job was made for (their process died before it queued them). */
  async unqueued(): Promise<BacktestRunRecord[]> {
    const rows = await this.db.select().from(backtestRuns).where(and(eq(backtestRuns.status, 'queued'), eq(backtestRuns.source, 'chat'), isNull(backtestRuns.jobId)));
    return rows.map(toRecord);
  }

  /** Chat runs not finished yet (queued or running), oldest first. */
  async activeChat(): Promise<BacktestRunRecord[]> {
    const rows = await this.db
      .select()
      .from(backtestRuns)
      .where(and(eq(backtestRuns.source, 'chat'), inArray(backtestRuns.status, ['queued', 'running'])))
      .orderBy(backtestRuns.id);
    return rows.map(toRecord);
  }

  /** Finished chat runs whose end nobody announced yet. */
  async pendingAnnouncements(): Promise<BacktestRunRecord[]> {
    const rows = await this.db
      .select()
      .from(backtestRuns)
      .where(and(eq(backtestRuns.announcePending, true), inArray(backtestRuns.status, ['done', 'failed'])))
      .orderBy(backtestRuns.id);
    return rows.map(toRecord);
  }

  /** Take the announcement of a finished run: true for exactly one caller. */
  async claimAnnouncement(id: number): Promise<boolean> {
    const rows = await this.db
      .update(backtestRuns)
      .set({ announcePending: false })
      .where(and(eq(backtestRuns.id, id), eq(backtestRuns.announcePending, true), inArray(backtestRuns.status, ['done', 'failed'])))
      .returning({ id: backtestRuns.id });
    return rows.length === 1;
  }

  async setProgress(id: number, progress: number): Promise<void> {
    await this.db.update(backtestRuns).set({ progress: Math.max(0, Math.min(1, progress)) }).where(eq(backtestRuns.id, id));
  }

  async finish(id: number, metrics: Record<string, number | string | null>, files: BacktestRunFiles): Promise<BacktestRunRecord> {
    const [row] = await this.db
      .update(backtestRuns)
      .set({ status: 'done', progress: 1, metrics, files, finishedAt: this.now(), error: null })
      .where(eq(backtestRuns.id, id))
      .returning();
    return toRecord(row!);
  }

  async fail(id: number, error: string): Promise<BacktestRunRecord> {
    const [row] = await this.db.update(backtestRuns).set({ status: 'failed', error, finishedAt: this.now() }).where(eq(backtestRuns.id, id)).returning();
    return toRecord(row!);
  }
}
