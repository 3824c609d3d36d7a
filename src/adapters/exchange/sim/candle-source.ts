import type { CandleRow, Candles } from '../../../domain/candles.ts';
import { allocCandles } from '../../../domain/candles.ts';

/**
 * An indexable stream of candles of one symbol at the sim's timeframe: candle k is the k-th candle
 * of the sim's timeline. The synthetic market is endless; a replayed file ends.
 */
export interface CandleSource {
  /** Number of candles (Infinity for the synthetic market). */
  readonly length: number;
  /** Open time of candle k (UTC ms). */
  tsOf(k: number): number;
  /** Write candle k into `out` (reused by callers: no allocation). */
  row(k: number, out: CandleRow): void;
}

/** Candles [from, to) of a source as columns. */
export function sourceRange(src: CandleSource, from: number, to: number): Candles {
  const n = Math.max(0, to - from);
  const c = allocCandles(n);
  const r: CandleRow = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < n; i++) {
    src.row(from + i, r);
    c.ts[i] = r.ts;
    c.open[i] = r.open;
    c.high[i] = r.high;
    c.low[i] = r.low;
    c.close[i] = r.close;
    c.volume[i] = r.volume;
  }
  return c;
}

/** First index k in [0, limit) with tsOf(k) >= ts (binary search; sources are ascending). */
export function lowerBound(src: CandleSource, ts: number, limit: number): number {
  let lo = 0;
  let hi = limit;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (src.tsOf(mid) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A candle file replayed in order: candle k is row k of the file. */
export class ReplaySource implements CandleSource {
  constructor(private readonly c: Candles) {}
  get length(): number {
    return this.c.length;
  }
  tsOf(k: number): number {
    return this.c.ts[k]!;
  }
  row(k: number, out: CandleRow): void {
    const c = this.c;
    out.ts = c.ts[k]!;
    out.open = c.open[k]!;
    out.high = c.high[k]!;
    out.low = c.low[k]!;
    out.close = c.close[k]!;
    out.volume = c.volume[k]!;
  }
}
