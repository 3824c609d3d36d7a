import { allocCandles, CANDLE_FIELDS, type Candles } from '../../domain/candles.ts';
import type { BacktestOptions, BacktestResult } from '../types.ts';

/** Backtest options that cross a thread boundary (no functions, no strategy objects). */
export type PortableOptions = Pick<
  BacktestOptions,
  'symbol' | 'timeframe' | 'cash' | 'fee' | 'slippage' | 'spread' | 'fill' | 'lot' | 'minNotional' | 'allowShort' | 'periodsPerYear' | 'tradeFrom' | 'kelly' | 'risk'
> & { sizing?: string };

export interface PortableCandles {
  length: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export type ToWorker =
  | { type: 'init'; candles: PortableCandles; lower?: PortableCandles; strategiesDir?: string }
  | {
      type: 'run';
      id: number;
      strategy: string;
      params: Record<string, unknown>;
      options: PortableOptions;
      /** Rows [start, end) of the init candles (default all). */
      range?: [number, number];
      /** Candles for this run only (the job runner), instead of the init ones. */
      candles?: PortableCandles;
      /** Return the trades and the equity curve too (default: metrics only). */
      full?: boolean;
    };

export type FromWorker =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'done'; id: number; result: BacktestResult }
  | { type: 'error'; id: number; message: string; code?: string };

/**
 * Copy candles into one SharedArrayBuffer: every worker then reads the same memory (no copy per
 * worker, which matters for a million-candle sweep on several threads).
 */
export function toSharedCandles(c: Candles): PortableCandles {
  const n = c.length;
  const sab = new SharedArrayBuffer(Math.max(8, n * 8 * CANDLE_FIELDS.length));
  const out = { length: n } as PortableCandles;
  CANDLE_FIELDS.forEach((f, k) => {
    const view = new Float64Array(sab, k * n * 8, n);
    view.set(c[f].subarray(0, n));
    out[f] = view;
  });
  return out;
}

/** Plain candles (copied, transferable) for a single run. */
export function toPortableCandles(c: Candles): PortableCandles {
  const out = allocCandles(c.length);
  for (const f of CANDLE_FIELDS) out[f].set(c[f].subarray(0, c.length));
  return out;
}
