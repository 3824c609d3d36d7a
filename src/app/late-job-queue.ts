import type { JobHandlers, JobKind, JobQueue } from '../ports/job-queue.ts';

export interface LateJobQueue {
  /** Usable at once: every call waits for the queue to be open (and opens it if nobody has yet). */
  readonly queue: JobQueue;
  /** Open the real queue (once; later calls return the same promise). */
  open(): Promise<JobQueue>;
}

/**
 * The job queue opened after the bot is ready instead of before: starting pg-boss (its schema
 * check, its queue's settings, loading its ~1 MB bundle) is not part of what the ready line
 * promises (HTTP server, chat, engine), only backtests need it. Until it is open, a call waits for
 * it — a backtest asked for in the first milliseconds is queued as soon as the queue is there, not
 * refused. A queue that fails to open fails the calls that need it with the reason (and the
 * opening is tried again on the next call); `stop()` before the queue was ever opened has
 * nothing to stop, during the opening it waits for it and stops the queue.
 */
export function lateJobQueue(backend: JobQueue['backend'], openQueue: () => Promise<JobQueue>): LateJobQueue {
  let opening: Promise<JobQueue> | undefined;
  let stopped = false;
  const open = (): Promise<JobQueue> => {
    if (stopped) return Promise.reject(new Error('the job queue is stopped'));
    opening ??= openQueue().catch((err: unknown) => {
      opening = undefined;
      throw err;
    });
    return opening;
  };
  const queue: JobQueue = {
    backend,
    async send<T extends object>(kind: JobKind, data: T) {
      return (await open()).send(kind, data);
    },
    async work(concurrency: number, handlers: JobHandlers) {
      return (await open()).work(concurrency, handlers);
    },
    async state<R extends object>(id: string) {
      return (await open()).state<R>(id);
    },
    async stop() {
      stopped = true;
      const pending = opening;
      if (!pending) return;
      const opened = await pending.catch(() => undefined);
      await opened?.stop();
    },
  };
  return { queue, open };
}

export interface LateStart {
  /** Settles once the work has run (or stop() was called first); never rejects. */
  readonly done: Promise<void>;
  /** No new attempt from now on; waits for the one in progress. */
  stop(): Promise<void>;
}

/**
 * Run `open` and then `then` after the current turn of the event loop — `startApp` returns first, so
 * the ready line is written before (src/cli/start.ts writes it as soon as startApp resolves). An
 * `open` that fails is logged and tried again every `retryMs` until it succeeds or `stop()`.
 */
export function startLate(open: () => Promise<unknown>, then: () => Promise<void>, o: { retryMs: number; onError(err: unknown, stage: 'open' | 'then'): void }): LateStart {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    });
  const done = (async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!stopped) {
      try {
        await open();
        break;
      } catch (err) {
        o.onError(err, 'open');
        await pause(o.retryMs);
      }
    }
    if (!stopped) await then();
  })().catch((err: unknown) => o.onError(err, 'then'));
  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}
