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

/**
 * Walk-forward analysis: the data is cut into `folds` consecutive windows; in each, the first
 * `inSampleRatio` is swept and the best parameters (by `rankBy`) are then traded on the rest, the
 * out-of-sample part, which the sweep never saw. Indicators warm up on the candles just before each
 * out-of-sample window, but no trade is taken there. Timestamps are candle indices of the pool's data.
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
  const folds = Math.floor(wf.folds);
  const ratio = wf.inSampleRatio ?? 0.75;
  if (!(folds >= 1 && folds <= 50)) throw new AppError('BAD_REQUEST', `--walk-forward needs 1 to 50 folds, got ${wf.folds}`);
  if (!(ratio > 0 && ratio < 1)) throw new AppError('BAD_REQUEST', `in-sample ratio must be between 0 and 1, got ${ratio}`);
  const window = Math.floor(length / folds);
  const isLen = Math.floor(window * ratio);
  if (isLen < 10 || window - isLen < 10) throw new AppError('BAD_REQUEST', `${length} candles are too few for ${folds} walk-forward folds`);
  const out: WalkForwardFold[] = [];
  let compounded = 1;
  let scoreSum = 0;
  let scoreCount = 0;
  for (let f = 0; f < folds; f++) {
    const start = f * window;
    const isEnd = start + isLen;
    const end = f === folds - 1 ? length : start + window;
    const sweep = await runSweep(pool, strategy, axes, base, options, rankBy, undefined, [start, isEnd]);
    const best = sweep.rows[0]!;
    const warm = Math.min(wf.warmupCandles ?? isLen, isEnd);
    const oos = await pool.run({ strategy, params: best.params, options: { ...options, tradeFrom: warm }, range: [isEnd - warm, end] });
    const m = metricsOf(oos);
    compounded *= m.finalEquity / m.initialEquity;
    const s = rankValue(m, rankBy);
    if (s !== null) {
      scoreSum += s;
      scoreCount++;
    }
    out.push({ fold: f + 1, inSample: { start, end: isEnd }, outOfSampleRange: { start: isEnd, end }, bestParams: best.params, inSampleScore: rankValue(best.metrics, rankBy), outOfSample: m });
    onFold?.(f + 1, folds);
  }
  return { rankBy, folds: out, outOfSampleReturnPct: (compounded - 1) * 100, outOfSampleAvgScore: scoreCount > 0 ? scoreSum / scoreCount : null };
}
