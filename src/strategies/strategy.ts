import type { z } from 'zod';
import type { Candles } from '../domain/candles.ts';

/** What a strategy asks for on a closed candle. Sizing and risk are decided after it, not by it. */
export type Intent =
  | {
      kind: 'enter';
      side: 'long' | 'short';
      /** Absolute stop-loss price (checked inside every candle). */
      stopLoss?: number;
      /** Absolute take-profit price. */
      takeProfit?: number;
      /** Fraction of the configured size, 0 < f ≤ 1 (default 1). */
      sizeFraction?: number;
      reason?: string;
    }
  | { kind: 'exit'; reason?: string }
  | { kind: 'message'; text: string };

/** One plotted indicator: drawn over the price (`price`) or in its own pane below (`oscillator`). */
export interface IndicatorSeries {
  name: string;
  pane: 'price' | 'oscillator';
  values: Float64Array;
}

export interface PositionSnapshot {
  side: 'long' | 'short';
  quantity: number;
  entryPrice: number;
  /** Index (in the current candles) or time of the entry. */
  openedAt: number;
}

export interface StrategyContext {
  symbol: string;
  timeframe: string;
  /** Candles up to and including the one that just closed (index `i`). Never any later candle. */
  candles: Candles;
  i: number;
  /** Current position on this symbol, if any. */
  position: PositionSnapshot | undefined;
  /** Shorting allowed by the venue/market and configuration. */
  allowShort: boolean;
  /** External factors fed through the signal intake (composite strategy), by name. */
  signals?: ReadonlyMap<string, number>;
}

/**
 * A running strategy. The same object runs in backtest, paper and live:
 * - `prepare(candles)` computes vectorised indicators over the candles it is given (the whole series
 *   in a backtest without `prepareRange`, the rolling window in paper and live) — it must be causal
 *   (value i uses rows ≤ i only);
 * - `onCandle(ctx)` decides on the candle `ctx.i` that just closed, reading what `prepare` computed.
 */
export interface StrategyInstance {
  prepare(candles: Candles): void;
  /**
   * Optional incremental form of `prepare`, used by the backtester when present: the indicators of
   * rows `[from, to)` of `candles` only, with whatever they need from earlier rows carried from the
   * previous call. Calls come in consecutive ranges from row 0 (a range from 0 starts over), each
   * just before `onCandle` is called for the rows of that range — so the values are computed while
   * the loop that reads them still has them in cache, and need not be held for the whole series.
   * `onCandle` may read values of the current range and of as many rows before it as the strategy
   * carries (see `RangeSeries`). `keep`: the whole series must stay available to `indicators()`
   * afterwards (a chart asks for it); without it `indicators()` may return nothing.
   * The result must equal `prepare(candles)` bit for bit, whatever the ranges.
   */
  prepareRange?(candles: Candles, from: number, to: number, keep: boolean): void;
  /**
   * Optional, with `prepareRange`: the rows of the range just prepared on which `onCandle` answers no
   * intents whatever the position, the signals and the rest of the context, and changes nothing of
   * its own — so the backtester may pass over them without calling it (most candles of a strategy
   * that waits for a rare condition). Called after `prepareRange(c, from, to, keep)`; returns a
   * mask where row i of that range is at `i - from`: 1 quiet, 0 may act — or undefined (every row
   * may act). It needs to be exact one way only: a row marked quiet must be one where `onCandle`
   * would answer nothing; a row marked 0 may answer nothing too. The backtester still checks an open
   * position's stop-loss and take-profit on quiet rows. Computed on request, so paper and live
   * trading, which never ask, pay nothing for it.
   */
  quietRows?(): Uint8Array | undefined;
  onCandle(ctx: StrategyContext): readonly Intent[] | undefined;
  /**
   * The indicator series `prepare` computed, aligned with its candles, for charts (the backtest
   * report and the dashboard's market page). NaN where an indicator is still warming up.
   */
  indicators?(): IndicatorSeries[];
  /** Live state that must survive a restart (stored in strategy_state). */
  getState?(): unknown;
  setState?(state: unknown): void;
}

export interface StrategyDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  description: string;
  /** Parameters with defaults; unknown keys are refused. */
  params: z.ZodType<P>;
  /** Timeframes it reads besides the trading one (higher timeframes, visible once closed). */
  timeframes?: readonly string[];
  /** Candles needed before the first decision (indicator warm-up). */
  warmup(params: P): number;
  create(params: P): StrategyInstance;
}

export const NO_INTENTS: readonly Intent[] = Object.freeze([]);
