import { describe, expect, it } from 'vitest';
import { runQueuedSweep, runQueuedWalkForward } from '../../../src/backtest/jobs/queued-runs.ts';
import { toJsonSafe } from '../../../src/backtest/jobs/json-numbers.ts';
import type { SweepCellJob, WalkForwardFoldJob } from '../../../src/backtest/jobs/job-types.ts';
import { allocCandles, type Candles } from '../../../src/domain/candles.ts';
import type { BacktestDatasets } from '../../../src/ports/backtest-datasets.ts';
import type { JobKind, JobQueue, JobStatus } from '../../../src/ports/job-queue.ts';

/** A queue whose jobs complete in reverse order of sending (or fail), answered by `answer`. */
function fakeQueue(answer: (kind: JobKind, data: unknown) => object | Error): JobQueue & { sent: Array<{ kind: JobKind; data: unknown }> } {
  const sent: Array<{ kind: JobKind; data: unknown }> = [];
  let polls = 0;
  return {
    backend: 'postgres',
    sent,
    async send(kind, data) {
      sent.push({ kind, data });
      return String(sent.length - 1);
    },
    async work() {},
    async state<R extends object>(id: string): Promise<JobStatus<R> | undefined> {
      const i = Number(id);
      const job = sent[i];
      if (!job) return undefined;
      // Later jobs finish first: the first poll round sees only the last job done, and so on.
      polls++;
      if (i < sent.length - Math.ceil(polls / sent.length)) return { state: 'active', retryCount: 0 };
      const out = answer(job.kind, job.data);
      if (out instanceof Error) return { state: 'failed', retryCount: 3, error: out.message };
      return { state: 'completed', retryCount: 0, output: JSON.parse(JSON.stringify(toJsonSafe(out))) as R };
    },
    async stop() {},
  };
}

const datasets: BacktestDatasets & { stored: number } = {
  stored: 0,
  async put() {
    datasets.stored++;
    return 'sha256:test';
  },
  async get() {
    return undefined;
  },
  async prune() {
    return 0;
  },
};
const candles: Candles = allocCandles(400);
const options = { symbol: 'X/USDT', cash: 1000 };

describe('queued sweeps', () => {
  it('one job per parameter set, rows back in grid order, ranked like a local sweep (Infinity kept)', async () => {
    const queue = fakeQueue((_kind, data) => {
      const p = (data as SweepCellJob).params as { fast: number };
      return { params: p, metrics: { sharpe: p.fast === 3 ? Infinity : p.fast / 10, returnPct: p.fast } };
    });
    const seen: number[] = [];
    const r = await runQueuedSweep({ queue, datasets, pollMs: 1 }, candles, undefined, 'sma-cross', [{ name: 'fast', values: [1, 2, 3, 4] }], { slow: 30 }, options, 'sharpe', (done) => seen.push(done));
    expect(queue.sent.map((s) => s.kind)).toEqual(['backtest-sweep-cell', 'backtest-sweep-cell', 'backtest-sweep-cell', 'backtest-sweep-cell']);
    expect(queue.sent.map((s) => (s.data as SweepCellJob).params)).toEqual([{ slow: 30, fast: 1 }, { slow: 30, fast: 2 }, { slow: 30, fast: 3 }, { slow: 30, fast: 4 }]);
    // A non-finite metric ranks last, as in a local sweep, and comes back as Infinity, not null.
    expect(r.rows.map((row) => (row.params as { fast: number }).fast)).toEqual([4, 2, 1, 3]);
    expect(r.rows.at(-1)!.metrics!.sharpe).toBe(Infinity);
    expect(seen.at(-1)).toBe(4);
    expect(datasets.stored).toBe(1);
  });

  it('a job that failed for good fails the sweep with a clear message; all rows in error is refused', async () => {
    const failing = fakeQueue(() => new Error('worker ran out of memory'));
    await expect(runQueuedSweep({ queue: failing, datasets, pollMs: 1 }, candles, undefined, 's', [{ name: 'fast', values: [1, 2] }], {}, options, 'sharpe')).rejects.toThrow(
      /backtest-sweep-cell job \d of 2 failed after 4 attempt\(s\): worker ran out of memory/,
    );
    const invalid = fakeQueue((_k, data) => ({ params: (data as SweepCellJob).params, error: 'invalid parameters for s: fast' }));
    await expect(runQueuedSweep({ queue: invalid, datasets, pollMs: 1 }, candles, undefined, 's', [{ name: 'fast', values: [1, 2] }], {}, options, 'sharpe')).rejects.toThrow(/no combination of the sweep could run: invalid parameters/);
    await expect(runQueuedSweep({ queue: invalid, datasets, pollMs: 1 }, candles, undefined, 's', [{ name: 'fast', values: [1] }], {}, options, 'nope')).rejects.toThrow(/cannot rank by "nope"/);
  });

  it('says once when no worker has taken a job', async () => {
    let idle = 0;
    const queue = fakeQueue(() => ({}));
    const stuck: JobQueue = { ...queue, state: async () => ({ state: 'queued', retryCount: 0 }) };
    const run = runQueuedSweep({ queue: stuck, datasets, pollMs: 1, idleWarnMs: 20, onIdle: () => idle++ }, candles, undefined, 's', [{ name: 'fast', values: [1] }], {}, options, 'sharpe');
    await new Promise((r) => setTimeout(r, 80));
    expect(idle).toBe(1);
    void run.catch(() => undefined);
  });
});

describe('queued walk-forward', () => {
  it('one job per fold with its window; folds combined in order', async () => {
    const queue = fakeQueue((_k, data) => {
      const w = (data as WalkForwardFoldJob).window;
      return { fold: w.fold, inSample: { start: w.start, end: w.isEnd }, outOfSampleRange: { start: w.isEnd, end: w.end }, bestParams: { fast: w.fold }, inSampleScore: 1, outOfSample: { initialEquity: 1000, finalEquity: 1100, sharpe: w.fold } };
    });
    const r = await runQueuedWalkForward({ queue, datasets, pollMs: 1 }, candles, undefined, 's', [{ name: 'fast', values: [1, 2] }], {}, options, 'sharpe', { folds: 4 });
    expect(queue.sent.map((s) => (s.data as WalkForwardFoldJob).window.fold)).toEqual([1, 2, 3, 4]);
    expect(queue.sent.map((s) => (s.data as WalkForwardFoldJob).window.start)).toEqual([0, 100, 200, 300]);
    expect(r.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4]);
    expect(r.outOfSampleReturnPct).toBeCloseTo((1.1 ** 4 - 1) * 100, 10);
    expect(r.outOfSampleAvgScore).toBe(2.5);
  });
});
