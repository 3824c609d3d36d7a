import type { SweepAxis } from '../sweep.ts';
import type { FoldWindow } from '../walk-forward.ts';
import type { PortableOptions } from '../worker/protocol.ts';

/** The candles a job runs on: ids in backtest_datasets (ports/backtest-datasets.ts). */
export interface JobCandles {
  dataset: string;
  /** Lower-timeframe candles for intrabar fills (`--lower`). */
  lower?: string;
}

/** `backtest-run`: one stored run (backtest_runs row) — chat /backtest. */
export interface BacktestRunJob extends JobCandles {
  runId: number;
}

/** `backtest-sweep-cell`: one parameter set of a sweep. */
export interface SweepCellJob extends JobCandles {
  strategy: string;
  params: Record<string, unknown>;
  options: PortableOptions;
  /** Rows [start, end) of the candles (default all). */
  range?: [number, number];
}

/** `backtest-walk-forward-fold`: one fold (its in-sample sweep and out-of-sample run). */
export interface WalkForwardFoldJob extends JobCandles {
  strategy: string;
  axes: SweepAxis[];
  base: Record<string, unknown>;
  options: PortableOptions;
  rankBy: string;
  window: FoldWindow;
}
