import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../domain/errors.ts';
import type { BacktestResult } from '../types.ts';
import type { FromWorker, PortableCandles, PortableOptions } from './protocol.ts';

export interface PoolJob {
  strategy: string;
  params: Record<string, unknown>;
  options: PortableOptions;
  range?: [number, number];
  candles?: PortableCandles;
  full?: boolean;
  onProgress?: (fraction: number) => void;
}

export interface WorkerPool {
  readonly size: number;
  run(job: PoolJob): Promise<BacktestResult>;
  close(): Promise<void>;
}

/**
 * The built worker runs as it is; when the sources run (tests, `npm run dev`) a worker thread does not
 * inherit the TypeScript loader, so bootstrap.mjs registers it first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? new URL('./bootstrap.mjs', import.meta.url) : new URL('./backtest-worker.js', import.meta.url);

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * A fixed set of backtest worker threads sharing one candle set. Jobs queue and go to the next free
 * worker; a failing job rejects its promise with the worker's message and leaves the pool usable.
 */
export function createWorkerPool(opts: { size?: number; candles?: PortableCandles; lower?: PortableCandles; strategiesDir?: string }): WorkerPool {
  const size = Math.max(1, opts.size ?? Math.max(1, availableParallelism()));
  const slots: Slot[] = [];
  const queue: Array<{ job: PoolJob; resolve: (r: BacktestResult) => void; reject: (e: Error) => void }> = [];
  const waiting = new Map<number, { resolve: (r: BacktestResult) => void; reject: (e: Error) => void; slot: Slot; onProgress?: (f: number) => void }>();
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const { job, resolve, reject } = queue.shift()!;
      const id = nextId++;
      slot.busy = true;
      waiting.set(id, { resolve, reject, slot, onProgress: job.onProgress });
      slot.worker.postMessage({ type: 'run', id, strategy: job.strategy, params: job.params, options: job.options, range: job.range, candles: job.candles, full: job.full });
    }
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_ENTRY);
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: FromWorker) => {
      const w = waiting.get(m.id);
      if (!w) return;
      if (m.type === 'progress') {
        w.onProgress?.(m.fraction);
        return;
      }
      waiting.delete(m.id);
      slot.busy = false;
      if (m.type === 'done') w.resolve(m.result);
      else w.reject(m.code ? new AppError(m.code as ErrorCode, m.message) : new Error(m.message));
      dispatch();
    });
    worker.on('error', (err) => {
      for (const [id, w] of waiting) {
        if (w.slot === slot) {
          waiting.delete(id);
          w.reject(err);
        }
      }
    });
    if (opts.candles) worker.postMessage({ type: 'init', candles: opts.candles, lower: opts.lower, strategiesDir: opts.strategiesDir });
    else if (opts.strategiesDir) worker.postMessage({ type: 'init', candles: { length: 0, ts: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0) }, strategiesDir: opts.strategiesDir });
    slots.push(slot);
  }

  return {
    size,
    run(job) {
      if (closed) return Promise.reject(new Error('worker pool is closed'));
      return new Promise<BacktestResult>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const q of queue.splice(0)) q.reject(new Error('worker pool closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
