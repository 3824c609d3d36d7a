/**
 * A durable job queue shared by every process on one database (the bot, standbys, `tradeops worker`,
 * a CLI sweep): a job is sent once, claimed by exactly one worker, retried when that worker dies or
 * the handler throws, and its output kept for whoever sent it. Implemented over pg-boss
 * (src/adapters/queue/pg-boss-queue.ts) on PostgreSQL and, in process, on PGlite.
 */
export interface JobQueue {
  /** `postgres`: any process reaching the database works the jobs; `pglite`: only this process can. */
  readonly backend: 'postgres' | 'pglite';
  /** Queue a job of a kind; returns its id. */
  send<T extends object>(kind: JobKind, data: T): Promise<string>;
  /**
   * Work jobs, `concurrency` at a time, until `stop()`: each goes to the handler of its kind. A
   * handler's resolved value is the job's output; a throw fails this attempt (retried up to the
   * retry limit). The signal aborts when the job is no longer this worker's (stop, or its claim lapsed).
   */
  work(concurrency: number, handlers: JobHandlers): Promise<void>;
  /** Where a job is; undefined when the id is unknown. */
  state<R extends object>(id: string): Promise<JobStatus<R> | undefined>;
  /** Stop working (jobs in hand finish or are left to be retried) and close the connection. */
  stop(): Promise<void>;
}

/** The kinds of job tradeops queues (one queue holds them all: one poller per process). */
export const JOB_KINDS = ['backtest-run', 'backtest-sweep-cell', 'backtest-walk-forward-fold'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** One handler per kind; each reads its own job data type (src/backtest/jobs/job-types.ts). */
export type JobHandlers = { [K in JobKind]: (job: QueuedJob<never>) => Promise<object> };

export interface QueuedJob<T> {
  id: string;
  kind: JobKind;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  signal: AbortSignal;
}

export interface JobStatus<R> {
  state: 'queued' | 'active' | 'completed' | 'failed' | 'cancelled';
  /** The handler's value (completed), or the last error's message (failed). */
  output?: R;
  error?: string;
  retryCount: number;
}
