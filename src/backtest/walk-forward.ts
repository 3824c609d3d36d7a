import { AppError } from '../domain/errors.ts';
import type { BacktestMetrics } from './metrics-types.ts';
import { metricsOf, rankValue, runSweep, type SweepAxis } from './sweep.ts';
import type { PortableOptions } from './worker/protocol.ts';
import type { WorkerPool } from './worker/worker-pool.ts';

export interface WalkForwardOptions {
  folds: number;
  /** Share of each fold window used in-sample (default 0.75). */
  inSampleRatio?: number;
  /** Candles before each out-of-sample window that only warm up indicators (default: the in-sample length). */
  warmupCandles?: number;
}

export interface WalkForwardFold {
  fold: number;
  inSample: { start: number; end: number };
  outOfSampleRange: { start: number; end: number };
  bestParams: Record<string, unknown>;
  inSampleScore: number | null;
  outOfSample: BacktestMetrics;
}

export interface WalkForwardResult {
  rankBy: string;
  folds: WalkForwardFold[];
  /** Out-of-sample returns compounded over the folds, %. */
  outOfSampleReturnPct: number;
  /** Average out-of-sample figure of the ranking metric. */
  outOfSampleAvgScore: number | null;
}

/** One fold's candle rows: in-sample [start, isEnd), out-of-sample [isEnd, end), warm-up candles before isEnd. */
export interface FoldWindow {
  fold: number;
  start: number;
  isEnd: number;
  end: number;
  warm: number;
}

/** Cut `length` candles into the folds' windows; refuses too few candles or a bad ratio. */
export function planWalkForward(length: number, wf: WalkForwardOptions): FoldWindow[] {
  const folds = Math.floor(wf.folds);
  const ratio = wf.inSampleRatio ?? 0.75;
  if (!(folds >= 1 && folds <= 50)) throw new AppError('BAD_REQUEST', `--walk-forward needs 1 to 50 folds, got ${wf.folds}`);
  if (!(ratio > 0 && ratio < 1)) throw new AppError('BAD_REQUEST', `in-sample ratio must be between 0 and 1, got ${ratio}`);
  const window = Math.floor(length / folds);
  const isLen = Math.floor(window * ratio);
  if (isLen < 10 || window - isLen < 10) throw new AppError('BAD_REQUEST', `${length} candles are too few for ${folds} walk-forward folds`);
  const out: FoldWindow[] = [];
  for (let f = 0; f < folds; f++) {
    const start = f * window;
    const isEnd = start + isLen;
    out.push({ fold: f + 1, start, isEnd, end: f === folds - 1 ? length : start + window, warm: Math.min(wf.warmupCandles ?? isLen, isEnd) });
  }
  return out;
}

/** One fold: sweep the in-sample window, trade the best parameters out of sample. */
export async function runFold(pool: WorkerPool, strategy: string, axes: SweepAxis[], base: Record<string, unknown>, options: PortableOptions, rankBy: string, w: FoldWindow): Promise<WalkForwardFold> {
  const sweep = await runSweep(pool, strategy, axes, base, options, rankBy, undefined, [w.start, w.isEnd]);
  const best = sweep.rows[0]!;
  const oos = await pool.run({ strategy, params: best.params, options: { ...options, tradeFrom: w.warm }, range: [w.isEnd - w.warm, w.end] });
  return { fold: w.fold, inSample: { start: w.start, end: w.isEnd }, outOfSampleRange: { start: w.isEnd, end: w.end }, bestParams: best.params, inSampleScore: rankValue(best.metrics, rankBy), outOfSample: metricsOf(oos) };
}

/** The folds' out-of-sample results together (folds in order). */
export function combineFolds(rankBy: string, folds: WalkForwardFold[]): WalkForwardResult {
  let compounded = 1;
  let scoreSum = 0;
  let scoreCount = 0;
  for (const f of folds) {
    const m = f.outOfSample;
    compounded *= m.finalEquity / m.initialEquity;
    const s = rankValue(m, rankBy);
    if (s !== null) {
      scoreSum += s;
      scoreCount++;
    }
  }
  return { rankBy, folds, outOfSampleReturnPct: (compounded - 1) * 100, outOfSampleAvgScore: scoreCount > 0 ? scoreSum / scoreCount : null };
}

/**
 * Walk-forward analysis: the data is cut into `folds` consecutive windows; in each, the first
 * `inSampleRatio` is swept and the best parameters (by `rankBy`) are then traded on the rest, the
 * out-of-sample part, which the sweep never saw. Indicators warm up on the candles just before each
 * out-of-sample window, but no trade is taken there. Timestamps are candle indices of the pool's data.
 * Folds are independent: queued, each fold is one job (src/backtest/jobs/queued-runs.ts).
 */
export async function runWalkForward(
  pool: WorkerPool,
  length: number,
  strategy: string,
  axes: SweepAxis[],
  base: Record<string, unknown>,
  options: PortableOptions,
  rankBy: string,
  wf: WalkForwardOptions,
  onFold?: (done: number, total: number) => void,
): Promise<WalkForwardResult> {
  const windows = planWalkForward(length, wf);
  const out: WalkForwardFold[] = [];
  for (const w of windows) {
    out.push(await runFold(pool, strategy, axes, base, options, rankBy, w));
    onFold?.(w.fold, windows.length);
  }
  return combineFolds(rankBy, out);
}
