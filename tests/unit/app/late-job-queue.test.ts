import { describe, expect, it, vi } from 'vitest';
import { lateJobQueue, startLate } from '../../../src/app/late-job-queue.ts';
import type { JobQueue } from '../../../src/ports/job-queue.ts';

/** A queue that records what reaches it. */
function recordingQueue(): JobQueue & { sent: Array<[string, object]>; stopped: number } {
  const q = {
    backend: 'pglite' as const,
    sent: [] as Array<[string, object]>,
    stopped: 0,
    async send(kind: string, data: object) {
      q.sent.push([kind, data]);
      return `job-${q.sent.length}`;
    },
    async work() {},
    async state() {
      return { state: 'completed' as const, retryCount: 0, output: { ok: 1 } };
    },
    async stop() {
      q.stopped++;
    },
  };
  return q as never;
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('lateJobQueue', () => {
  it('a call before anyone opened the queue opens it and reaches it (nothing refused, nothing lost)', async () => {
    const real = recordingQueue();
    const open = vi.fn(async () => real);
    const late = lateJobQueue('pglite', open);
    expect(late.queue.backend).toBe('pglite');
    expect(open).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([late.queue.send('backtest-run', { runId: 1 }), late.queue.send('backtest-run', { runId: 2 })]);
    expect([a, b]).toEqual(['job-1', 'job-2']);
    expect(real.sent).toEqual([['backtest-run', { runId: 1 }], ['backtest-run', { runId: 2 }]]);
    expect(await late.queue.state('job-1')).toEqual({ state: 'completed', retryCount: 0, output: { ok: 1 } });
    await late.open();
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('a call made while the queue is opening waits for it', async () => {
    const real = recordingQueue();
    let finish!: (q: JobQueue) => void;
    const late = lateJobQueue('pglite', () => new Promise<JobQueue>((r) => (finish = r)));
    const opening = late.open();
    const sent = late.queue.send('backtest-run', { runId: 7 });
    await turn();
    expect(real.sent).toEqual([]);
    finish(real);
    await opening;
    expect(await sent).toBe('job-1');
    expect(real.sent).toEqual([['backtest-run', { runId: 7 }]]);
  });

  it('a failed opening fails the calls with its reason; the next call tries again', async () => {
    const real = recordingQueue();
    const open = vi.fn<() => Promise<JobQueue>>().mockRejectedValueOnce(new Error('no schema yet')).mockResolvedValue(real);
    const late = lateJobQueue('postgres', open);
    await expect(late.queue.send('backtest-run', { runId: 1 })).rejects.toThrow('no schema yet');
    expect(await late.queue.send('backtest-run', { runId: 1 })).toBe('job-1');
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('stop before the queue was opened opens nothing; later calls are refused', async () => {
    const open = vi.fn(async () => recordingQueue());
    const late = lateJobQueue('pglite', open);
    await late.queue.stop();
    expect(open).not.toHaveBeenCalled();
    await expect(late.queue.send('backtest-run', {})).rejects.toThrow(/stopped/);
    expect(open).not.toHaveBeenCalled();
  });

  it('stop during the opening waits for it and stops the queue it opened', async () => {
    const real = recordingQueue();
    let finish!: (q: JobQueue) => void;
    const late = lateJobQueue('pglite', () => new Promise<JobQueue>((r) => (finish = r)));
    void late.open();
    let stopped = false;
    const stopping = late.queue.stop().then(() => (stopped = true));
    await turn();
    expect(stopped).toBe(false);
    finish(real);
    await stopping;
    expect(real.stopped).toBe(1);
  });
});

describe('startLate', () => {
  it('runs after the current turn, then the next step once the opening succeeded', async () => {
    const order: string[] = [];
    const late = startLate(
      async () => order.push('open'),
      async () => {
        order.push('then');
      },
      { retryMs: 10, onError: () => order.push('error') },
    );
    order.push('ready line');
    await Promise.resolve();
    order.push('microtasks done');
    await late.done;
    expect(order).toEqual(['ready line', 'microtasks done', 'open', 'then']);
  });

  it('an opening that fails is reported and tried again until it succeeds', async () => {
    const errors: string[] = [];
    let attempts = 0;
    const then = vi.fn(async () => {});
    const late = startLate(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error(`down ${attempts}`);
      },
      then,
      { retryMs: 5, onError: (err, stage) => errors.push(`${stage}: ${(err as Error).message}`) },
    );
    await late.done;
    expect(attempts).toBe(3);
    expect(errors).toEqual(['open: down 1', 'open: down 2']);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it('stop ends the retries without running the next step', async () => {
    let attempts = 0;
    const then = vi.fn(async () => {});
    const late = startLate(
      async () => {
        attempts++;
        throw new Error('down');
      },
      then,
      { retryMs: 60_000, onError: () => undefined },
    );
    await turn();
    await turn();
    expect(attempts).toBe(1);
    await late.stop();
    await late.done;
    expect(attempts).toBe(1);
    expect(then).not.toHaveBeenCalled();
  });

  it('stop before the turn is over: nothing runs', async () => {
    const open = vi.fn(async () => {});
    const then = vi.fn(async () => {});
    const late = startLate(open, then, { retryMs: 5, onError: () => undefined });
    await late.stop();
    expect(open).not.toHaveBeenCalled();
    expect(then).not.toHaveBeenCalled();
  });

  it('a failing next step is reported as such', async () => {
    const errors: string[] = [];
    const late = startLate(
      async () => {},
      async () => {
        throw new Error('runner broke');
      },
      { retryMs: 5, onError: (err, stage) => errors.push(`${stage}: ${(err as Error).message}`) },
    );
    await late.done;
    expect(errors).toEqual(['then: runner broke']);
  });
});
