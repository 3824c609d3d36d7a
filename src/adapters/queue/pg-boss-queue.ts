import type { Database } from '../db/client.ts';
import type { Logger } from '../../logger.ts';
import { JOB_KINDS, type JobHandlers, type JobKind, type JobQueue, type JobStatus } from '../../ports/job-queue.ts';

/** pg-boss keeps its tables in this schema of the bot's database (created on first start). */
export const PG_BOSS_SCHEMA = 'pgboss';
/**
 * Every kind of job goes into this one pg-boss queue (the kind travels with the job): a process
 * polls one queue instead of one per kind, which matters for an idle bot on the embedded database.
 */
export const JOBS_QUEUE = 'tradeops-jobs';

/**
 * Retry and expiry of every tradeops queue. A worker refreshes its job's heartbeat every 5 s while
 * the handler runs; a worker that dies (SIGKILL, lost machine) stops refreshing, and the supervisor
 * of any live process hands the job to another worker after `heartbeatSeconds` (+ one supervise
 * pass, SUPERVISE_SECONDS). A job is tried at most 1 + RETRY_LIMIT times, so a backtest that kills its worker every time
 * (out of memory) ends failed instead of going round for ever.
 */
export const QUEUE_POLICY = { retryLimit: 3, retryDelay: 1, heartbeatSeconds: 10, expireInSeconds: 6 * 3600, deleteAfterSeconds: 24 * 3600 } as const;
/**
 * How often a live process looks for jobs whose worker stopped heartbeating (pg-boss's supervise +
 * monitor pass). On PostgreSQL another process may be waiting for that job; on the embedded
 * database a dead worker is a dead process, so its jobs are picked up after the restart, unhurried.
 */
const SUPERVISE_SECONDS = { postgres: 5, pglite: 30 } as const;
const POLL_SECONDS = 0.5;

export interface PgBossQueueOptions {
  /** The bot's database: PGlite (in process) or PostgreSQL (then `url` is used for pg-boss's own pool). */
  database: Database;
  /** DATABASE_URL (PostgreSQL only). */
  url?: string;
  logger?: Logger;
  /** How long `stop()` waits for jobs in hand before leaving them to be retried elsewhere (default 10 s). */
  stopTimeoutMs?: number;
}

/**
 * The job queue over pg-boss. On PostgreSQL pg-boss gets its own small `pg` pool on DATABASE_URL
 * (it runs multi-statement transactions, which postgres.js refuses on a pool); on PGlite it talks
 * to the bot's one embedded connection through pg-boss's PGlite adapter, so the same queue runs in
 * process, with the same API, for a single-process setup.
 */
export async function openPgBossQueue(o: PgBossQueueOptions): Promise<JobQueue> {
  const { PgBoss, fromPglite } = await import('pg-boss');
  const supervise = SUPERVISE_SECONDS[o.database.kind];
  const common = { schema: PG_BOSS_SCHEMA, superviseIntervalSeconds: supervise, monitorIntervalSeconds: supervise, schedule: false };
  let boss: InstanceType<typeof PgBoss>;
  if (o.database.kind === 'pglite') {
    if (!o.database.embedded) throw new Error('the embedded database does not expose its PGlite instance');
    boss = new PgBoss({ ...common, db: fromPglite(o.database.embedded as never), backend: 'pglite' });
  } else {
    if (!o.url) throw new Error('the job queue on PostgreSQL needs DATABASE_URL');
    boss = new PgBoss({ ...common, connectionString: o.url, max: 3, application_name: 'tradeops-jobs' });
  }
  boss.on('error', (err) => o.logger?.warn({ err }, 'job queue error'));
  boss.on('warning', (w) => o.logger?.warn({ warning: w.message }, 'job queue warning'));
  await boss.start();
  if (!(await boss.getQueue(JOBS_QUEUE))) await boss.createQueue(JOBS_QUEUE, { ...QUEUE_POLICY });
  else await boss.updateQueue(JOBS_QUEUE, { ...QUEUE_POLICY });
  let stopped = false;

  return {
    backend: o.database.kind,
    async send(kind, data) {
      const id = await boss.send(JOBS_QUEUE, { kind, data });
      if (!id) throw new Error(`the job queue refused a ${kind} job`);
      return id;
    },
    async work(concurrency: number, handlers: JobHandlers) {
      await boss.work<Envelope, object>(JOBS_QUEUE, { batchSize: 1, localConcurrency: Math.max(1, concurrency), pollingIntervalSeconds: POLL_SECONDS }, async ([job]) => {
        const { kind, data } = job!.data;
        if (!JOB_KINDS.includes(kind)) throw new Error(`unknown job kind "${String(kind)}"`);
        return handlers[kind]({ id: job!.id, kind, data: data as never, retryCount: job!.retryCount, signal: job!.signal });
      });
    },
    async state<R extends object>(id: string): Promise<JobStatus<R> | undefined> {
      const job = await boss.getJobById<Envelope>(JOBS_QUEUE, id);
      if (!job) return undefined;
      const state = job.state === 'created' || job.state === 'retry' ? 'queued' : job.state;
      const out = (job.output ?? undefined) as Record<string, unknown> | undefined;
      if (state === 'failed') return { state, retryCount: job.retryCount, error: typeof out?.message === 'string' ? out.message : 'the job failed' };
      return { state, retryCount: job.retryCount, output: state === 'completed' ? (out as R) : undefined };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, timeout: o.stopTimeoutMs ?? 10_000, close: true });
    },
  };
}

/** A job as stored in pg-boss: its kind and its data. */
interface Envelope {
  kind: JobKind;
  data: unknown;
}
