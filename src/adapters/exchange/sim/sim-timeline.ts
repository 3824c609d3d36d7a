import type { CandleRow, Candles } from '../../../domain/candles.ts';
import { sliceCandles } from '../../../domain/candles.ts';
import { AppError } from '../../../domain/errors.ts';
import { resample } from '../../../domain/resample.ts';
import { alignTs, timeframeToMs } from '../../../domain/timeframe.ts';
import { lowerBound, ReplaySource, sourceRange, type CandleSource } from './candle-source.ts';
import { simBasePrice } from './sim-markets.ts';
import { SyntheticSeries } from './synthetic-market.ts';

export interface SimTimelineOptions {
  seed: number;
  timeframe: string;
  /** Simulated candles per second of real time (0 freezes the market). */
  speed: number;
  /** Closed candles that exist when the sim starts. */
  historyCandles: number;
  /** Real clock (UTC ms). */
  now: () => number;
  /** Candles replayed for `replaySymbols` instead of the synthetic market (already at `timeframe`). */
  replay?: Candles;
  replaySymbols?: readonly string[];
  /** Open time of synthetic candle 0; default: history ends at the real time the sim starts. */
  startTs?: number;
  /** Tick size per symbol: synthetic prices are published on the tick. */
  priceStep?: (symbol: string) => number;
  /**
   * Continue a stored market (a restarted paper account): the position, in candles, the market had
   * reached. With `startTs` it gives back the same price path and the same market time.
   */
  resumeAt?: number;
}

/**
 * The sim's accelerated time. Position p = historyCandles + elapsed real seconds × speed, in candles
 * of the primary series (the replayed file, else the synthetic market): candles below ⌊p⌋ are
 * closed, candle ⌊p⌋ is forming, and the simulated clock reads the forming candle's open time plus
 * the fraction of p. Every symbol's series is read against that one clock.
 */
export class SimTimeline {
  readonly tfMs: number;
  private readonly realStart: number;
  private readonly startTs: number;
  private readonly sources = new Map<string, CandleSource>();
  private readonly replay?: ReplaySource;
  private readonly replaySymbols: ReadonlySet<string>;
  private readonly scratch: CandleRow = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };

  constructor(private readonly o: SimTimelineOptions) {
    this.tfMs = timeframeToMs(o.timeframe);
    if (!(o.speed >= 0) || !Number.isFinite(o.speed)) throw new AppError('BAD_REQUEST', `SIM_SPEED must be a number ≥ 0, got ${o.speed}`);
    if (!(o.historyCandles >= 1)) throw new AppError('BAD_REQUEST', `historyCandles must be at least 1, got ${o.historyCandles}`);
    if (o.resumeAt !== undefined && !(o.resumeAt >= 1 && Number.isFinite(o.resumeAt))) throw new AppError('BAD_REQUEST', `resumeAt must be a position of at least 1 candle, got ${o.resumeAt}`);
    this.realStart = o.now();
    if (o.replay) {
      if (o.replay.length < 2) throw new AppError('BAD_REQUEST', 'SIM_DATA needs at least 2 candles to replay');
      this.replay = new ReplaySource(o.replay);
      this.startTs = o.replay.ts[0]!;
    } else {
      this.startTs = o.startTs ?? alignTs(this.realStart, this.tfMs) - o.historyCandles * this.tfMs;
    }
    this.replaySymbols = new Set(o.replaySymbols ?? []);
  }

  /** Position on the primary series, in candles (fractional). */
  private position(): number {
    const elapsed = Math.max(0, this.o.now() - this.realStart) / 1000;
    const p = (this.o.resumeAt ?? this.o.historyCandles) + elapsed * this.o.speed;
    return this.replay ? Math.min(p, this.replay.length) : p;
  }

  /** Where the market is, to store and resume it after a restart: the same startTs and position give the same prices and time. */
  state(): { startTs: number; position: number } {
    return { startTs: this.startTs, position: this.position() };
  }

  /** Simulated now (UTC ms). */
  now(): number {
    const p = this.position();
    const k = Math.floor(p);
    if (!this.replay) return this.startTs + p * this.tfMs;
    if (k >= this.replay.length) return this.replay.tsOf(this.replay.length - 1) + this.tfMs;
    return this.replay.tsOf(k) + (p - k) * this.tfMs;
  }

  source(symbol: string): CandleSource {
    let s = this.sources.get(symbol);
    if (!s) {
      s = this.replay && this.replaySymbols.has(symbol)
        ? this.replay
        : new SyntheticSeries({ seed: this.o.seed, symbol, timeframeMs: this.tfMs, startTs: this.startTs, basePrice: simBasePrice(symbol), priceStep: this.o.priceStep?.(symbol) });
      this.sources.set(symbol, s);
    }
    return s;
  }

  /** Number of candles of `symbol` closed at simulated time `now` (candle k closes at ts_k + tf). */
  closedCount(symbol: string, now = this.now()): number {
    const src = this.source(symbol);
    if (src instanceof SyntheticSeries) return Math.max(0, Math.floor((now - this.startTs) / this.tfMs + 1e-9));
    // Times are whole milliseconds: +0.5 turns "ts ≤ now − tf" into a lower bound.
    return lowerBound(src, now - this.tfMs + 0.5, src.length);
  }

  /** Candle k of `symbol` into a reused row (read it before the next call). */
  candle(symbol: string, k: number): CandleRow {
    this.source(symbol).row(k, this.scratch);
    return this.scratch;
  }

  /**
   * The price a market order executes at now: the open of the forming candle (the first price after
   * the last closed candle); after the end of a replayed file, its last close.
   */
  price(symbol: string): number {
    const src = this.source(symbol);
    const k = this.closedCount(symbol);
    if (k >= src.length) {
      src.row(src.length - 1, this.scratch);
      return this.scratch.close;
    }
    src.row(k, this.scratch);
    return this.scratch.open;
  }

  /** Closed candles, as the MarketData port defines them (see fetchCandles). */
  candles(symbol: string, timeframe: string, since: number | undefined, limit: number): Candles {
    const tf = timeframeToMs(timeframe);
    if (!(limit > 0)) return sourceRange(this.source(symbol), 0, 0);
    const now = this.now();
    const src = this.source(symbol);
    const closed = this.closedCount(symbol, now);
    if (tf === this.tfMs) {
      const from = since === undefined ? Math.max(0, closed - limit) : lowerBound(src, since, closed);
      return sourceRange(src, from, Math.min(closed, from + limit));
    }
    if (tf % this.tfMs !== 0) {
      throw new AppError('BAD_REQUEST', `timeframe ${timeframe} is not a multiple of the sim's timeframe ${this.o.timeframe}`);
    }
    // Higher timeframe: resample the base candles that cover the requested buckets.
    const lastBucketEnd = alignTs(now, tf);
    const fromTs = since === undefined ? lastBucketEnd - limit * tf : alignTs(since, tf) + (alignTs(since, tf) < since ? tf : 0);
    const toTs = since === undefined ? lastBucketEnd : Math.min(lastBucketEnd, fromTs + limit * tf);
    const from = lowerBound(src, fromTs, closed);
    const to = lowerBound(src, toTs, closed);
    const htf = resample(sourceRange(src, from, to), this.tfMs, tf);
    const n = htf.length;
    const start = since === undefined ? Math.max(0, n - limit) : 0;
    return sliceCandles(htf, start, Math.min(n, start + limit));
  }
}
