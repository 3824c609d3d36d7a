const MINUTE = 60_000;
const DAY = 86_400_000;

/** Exponentially weighted mean and variance (West's update), O(1) memory. */
class EwStats {
  mean = 0;
  variance = 0;
  n = 0;
  constructor(private readonly alpha: number) {}
  push(x: number): void {
    if (this.n === 0) this.mean = x;
    const d = x - this.mean;
    const incr = this.alpha * d;
    this.mean += incr;
    this.variance = (1 - this.alpha) * (this.variance + d * incr);
    this.n++;
  }
  z(x: number): number | undefined {
    const sd = Math.sqrt(this.variance);
    return sd > 0 ? (x - this.mean) / sd : undefined;
  }
}

/** What one symbol's candles say about panic right now (each undefined until warmed up). */
export interface MarketStress {
  /** z-score of short-window (≈60 min) volatility against its 30-day baseline. */
  volatilityZ?: number;
  /** Worst return (from the highest close to the latest) over the last 15 and 60 minutes, as fractions ≤ 0. */
  worstReturn15m?: number;
  worstReturn60m?: number;
  /** z-score of the latest candle's volume against its 30-day baseline. */
  volumeZ?: number;
}

/**
 * Per-symbol panic inputs from candles, updated one closed candle at a time in O(window): the same
 * code runs over a backtest's million candles and the live engine's ticks. The 30-day baselines are
 * exponentially weighted (span = 30 days of candles), so no 30-day history needs to be held.
 */
export class PanicTracker {
  private readonly shortSpan: number;
  private readonly w15: number;
  private readonly w60: number;
  private readonly shortVar: EwStats;
  private readonly volBaseline: EwStats;
  private readonly volumeBaseline: EwStats;
  private readonly closes: number[] = [];
  private lastClose: number | undefined;
  private lastVolume: number | undefined;
  private seen = 0;
  lastTs: number | undefined;

  constructor(readonly timeframeMs: number) {
    this.shortSpan = Math.max(5, Math.round((60 * MINUTE) / timeframeMs));
    this.w15 = Math.max(1, Math.round((15 * MINUTE) / timeframeMs));
    this.w60 = Math.max(1, Math.round((60 * MINUTE) / timeframeMs));
    const longSpan = Math.max(this.shortSpan * 4, Math.round((30 * DAY) / timeframeMs));
    this.shortVar = new EwStats(2 / (this.shortSpan + 1));
    this.volBaseline = new EwStats(2 / (longSpan + 1));
    this.volumeBaseline = new EwStats(2 / (longSpan + 1));
  }

  /** Feed one closed candle (ignored when not newer than the last one fed). */
  push(ts: number, close: number, volume: number): void {
    if (this.lastTs !== undefined && ts <= this.lastTs) return;
    if (!(close > 0)) return;
    this.lastTs = ts;
    if (this.lastClose !== undefined) {
      const r = Math.log(close / this.lastClose);
      this.shortVar.push(r * r);
      // The baseline learns from the short-window volatility only once that window is full.
      if (this.shortVar.n >= this.shortSpan) this.volBaseline.push(Math.sqrt(this.shortVar.mean));
    }
    if (this.lastVolume !== undefined && Number.isFinite(this.lastVolume)) this.volumeBaseline.push(this.lastVolume);
    this.lastVolume = volume;
    this.lastClose = close;
    this.closes.push(close);
    if (this.closes.length > this.w60 + 1) this.closes.shift();
    this.seen++;
  }

  stress(): MarketStress {
    const out: MarketStress = {};
    const warm = this.shortSpan * 3;
    if (this.volBaseline.n >= warm) out.volatilityZ = this.volBaseline.z(Math.sqrt(this.shortVar.mean)) ?? 0;
    if (this.volumeBaseline.n >= warm && this.lastVolume !== undefined) out.volumeZ = this.volumeBaseline.z(this.lastVolume) ?? 0;
    const worst = (w: number) => {
      if (this.closes.length < 2) return undefined;
      const last = this.closes[this.closes.length - 1]!;
      let hi = last;
      for (let i = Math.max(0, this.closes.length - 1 - w); i < this.closes.length; i++) hi = Math.max(hi, this.closes[i]!);
      return last / hi - 1;
    };
    out.worstReturn15m = worst(this.w15);
    out.worstReturn60m = worst(this.w60);
    return out;
  }

  get candlesSeen(): number {
    return this.seen;
  }
}
