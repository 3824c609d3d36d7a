import type { Database } from '../db/client.ts';
import type { Logger } from '../../logger.ts';
import { JOB_QUEUES, type JobQueue, type JobQueueName, type JobStatus, type QueuedJob } from '../../ports/job-queue.ts';

/** pg-boss keeps its tables in this schema of the bot's database (created on first start). */
export const PG_BOSS_SCHEMA = 'pgboss';

/**
 * Retry and expiry of every tradeops queue. A worker refreshes its job's heartbeat every 5 s while
 * the handler runs; a worker that dies (SIGKILL, lost machine) stops refreshing, and the supervisor
 * of any live process hands the job to another worker after `heartbeatSeconds` (+ one supervise
 * pass, SUPERVISE_SECONDS). A job is tried at most 1 + RETRY_LIMIT times, so a backtest that kills its worker every time
 * (out of memory) ends failed instead of going round for ever.
 */
export const QUEUE_POLICY = { retryLimit: 3, retryDelay: 1, heartbeatSeconds: 10, expireInSeconds: 6 * 3600, deleteAfterSeconds: 24 * 3600 } as const;
/** How often a live process looks for jobs whose worker stopped heartbeating (pg-boss's supervise + monitor pass). */
const SUPERVISE_SECONDS = 5;
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
  const common = { schema: PG_BOSS_SCHEMA, superviseIntervalSeconds: SUPERVISE_SECONDS, monitorIntervalSeconds: SUPERVISE_SECONDS, schedule: false };
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
  for (const name of JOB_QUEUES) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...QUEUE_POLICY });
  }
  let stopped = false;

  return {
    backend: o.database.kind,
    async send(queue, data) {
      const id = await boss.send(queue, data);
      if (!id) throw new Error(`job queue ${queue} refused the job`);
      return id;
    },
    async work<T extends object, R extends object>(queue: JobQueueName, concurrency: number, handler: (job: QueuedJob<T>) => Promise<R>) {
      await boss.work<T, R>(queue, { batchSize: 1, localConcurrency: Math.max(1, concurrency), pollingIntervalSeconds: POLL_SECONDS }, async ([job]) => {
        return handler({ id: job!.id, data: job!.data, retryCount: job!.retryCount, signal: job!.signal });
      });
    },
    async state<R extends object>(queue: JobQueueName, id: string): Promise<JobStatus<R> | undefined> {
      const job = await boss.getJobById<object>(queue, id);
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
