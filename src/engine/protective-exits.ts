import type { Candles } from '../domain/candles.ts';

/**
 * Did candle i (open time `ts`, length `tfMs`) touch the stop-loss or the take-profit of a position?
 * Returns −1 for the stop, +1 for the target, 0 for neither. `sl`/`tp` are NaN when unset.
 *
 * When one candle touches both, the order inside it is unknown from OHLC alone: the lower-timeframe
 * candles inside [ts, ts + tfMs) are walked in order when given, and the first one touching a level
 * decides; with none (or when one lower candle touches both) the stop is assumed first — the
 * conservative choice, as in backtesting.py and freqtrade.
 * A gap open beyond a level counts as touching it. `cursor.j` carries the lower-timeframe position
 * from one call to the next (candles only move forward), so the walk is O(total lower candles).
 */
export function stopOrTarget(
  long: boolean,
  sl: number,
  tp: number,
  open: number,
  high: number,
  low: number,
  lower: Candles | undefined,
  ts: number,
  tfMs: number,
  cursor: { j: number },
): -1 | 0 | 1 {
  const slHit = sl === sl && (long ? low <= sl : high >= sl);
  const tpHit = tp === tp && (long ? high >= tp : low <= tp);
  if (!slHit && !tpHit) return 0;
  if (slHit && !tpHit) return -1;
  if (tpHit && !slHit) return 1;
  // Both levels in range: a gap open decides at once.
  if (long ? open <= sl : open >= sl) return -1;
  if (long ? open >= tp : open <= tp) return 1;
  if (!lower) return -1;
  const lts = lower.ts;
  let j = cursor.j;
  while (j < lower.length && lts[j]! < ts) j++;
  cursor.j = j;
  const end = ts + tfMs;
  for (; j < lower.length && lts[j]! < end; j++) {
    const s = long ? lower.low[j]! <= sl : lower.high[j]! >= sl;
    const t = long ? lower.high[j]! >= tp : lower.low[j]! <= tp;
    if (s) return -1;
    if (t) return 1;
  }
  return -1;
}
