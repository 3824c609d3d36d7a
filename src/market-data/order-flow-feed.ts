import type { Candles } from '../domain/candles.ts';
import { AppError } from '../domain/errors.ts';
import { cumulativeVolumeDelta } from '../domain/order-flow.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { MarketData } from '../ports/market-data.ts';

/** Order flow aligned to a candle series, one value per candle (what a strategy's prepare() reads). */
export interface OrderFlowSeries {
  /** volume × sign(close − open) (docs/candle-data.md: an approximation from candles). */
  readonly delta: Float64Array;
  /** Running sum of `delta` from the first candle. */
  readonly cvd: Float64Array;
  /** Open interest known when candle i closed (the last sample at or before its close); NaN before any. */
  readonly openInterest: Float64Array;
}

export interface OrderFlowFeedOptions {
  symbol: string;
  timeframe: string;
  marketData: Pick<MarketData, 'fetchOpenInterest'>;
  /** Clock (UTC ms) that stamps samples: the venue's, as for candles. */
  now?: () => number;
  /** At most one open-interest request per this interval, however often the engine ticks (default 60 s). */
  minSampleIntervalMs?: number;
  /** Samples kept, oldest dropped first (default 10,000: a week of minutes). */
  capacity?: number;
  logger?: { warn(obj: object, msg: string): void };
}

/** Signal names `signals()` fills (for StrategyContext.signals). */
export const ORDER_FLOW_SIGNALS = ['cvd', 'cvd_delta', 'open_interest', 'open_interest_change'] as const;

/**
 * Order-flow data for strategies and the panic score: CVD from candles, and open interest sampled
 * from the venue on engine ticks where it offers it (swap markets). Open interest has no history
 * endpoint common to all venues, so the feed builds its own series from samples and aligns it to
 * candles without look-ahead: candle i sees only samples taken by its close.
 */
export class OrderFlowFeed {
  private readonly tfMs: number;
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly cap: number;
  private readonly ts: Float64Array;
  private readonly values: Float64Array;
  /** Index of the oldest sample in the ring, and how many are held. */
  private head = 0;
  private size = 0;
  private lastAttempt = -Infinity;
  private supported: boolean;

  constructor(private readonly o: OrderFlowFeedOptions) {
    this.tfMs = timeframeToMs(o.timeframe);
    this.now = o.now ?? Date.now;
    this.minInterval = o.minSampleIntervalMs ?? 60_000;
    this.cap = Math.floor(o.capacity ?? 10_000);
    if (!(this.cap >= 1)) throw new AppError('BAD_REQUEST', `order-flow capacity must be at least 1, got ${o.capacity}`);
    this.ts = new Float64Array(this.cap);
    this.values = new Float64Array(this.cap);
    this.supported = typeof o.marketData.fetchOpenInterest === 'function';
  }

  /** False when the venue (or market type) has no open interest: the series stays NaN. */
  get openInterestAvailable(): boolean {
    return this.supported;
  }

  /**
   * Call on every engine tick: takes an open-interest sample when the last attempt is at least
   * `minSampleIntervalMs` old. A failed request is logged and skipped (the next tick tries again);
   * an answer of "not offered" switches sampling off. Returns the value sampled now, if any.
   */
  async sample(): Promise<number | undefined> {
    if (!this.supported) return undefined;
    const at = this.now();
    if (at - this.lastAttempt < this.minInterval) return undefined;
    this.lastAttempt = at;
    let value: number | undefined;
    try {
      value = await this.o.marketData.fetchOpenInterest!(this.o.symbol);
    } catch (err) {
      this.o.logger?.warn({ symbol: this.o.symbol, err: err instanceof Error ? err.message : String(err) }, 'open interest sample failed');
      return undefined;
    }
    if (value === undefined) {
      this.supported = false;
      return undefined;
    }
    if (!Number.isFinite(value)) return undefined;
    this.push(at, value);
    return value;
  }

  /** Record a sample taken elsewhere (a replay, a test); samples must come in time order. */
  push(ts: number, value: number): void {
    if (this.size > 0 && ts < this.ts[(this.head + this.size - 1) % this.cap]!) {
      throw new AppError('BAD_REQUEST', `open interest samples must be in time order (${ts} is before the last one)`);
    }
    const at = (this.head + this.size) % this.cap;
    this.ts[at] = ts;
    this.values[at] = value;
    if (this.size < this.cap) this.size++;
    else this.head = (this.head + 1) % this.cap;
  }

  /** The samples held, oldest first (copies). */
  samples(): { ts: Float64Array; value: Float64Array } {
    const ts = new Float64Array(this.size);
    const value = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const k = (this.head + i) % this.cap;
      ts[i] = this.ts[k]!;
      value[i] = this.values[k]!;
    }
    return { ts, value };
  }

  /** CVD and open interest aligned to `candles` (ascending). O(candles + samples). */
  series(candles: Candles): OrderFlowSeries {
    const { delta, cvd } = cumulativeVolumeDelta(candles);
    const oi = new Float64Array(candles.length).fill(Number.NaN);
    const s = this.samples();
    let j = -1;
    for (let i = 0; i < candles.length; i++) {
      const close = candles.ts[i]! + this.tfMs;
      while (j + 1 < s.ts.length && s.ts[j + 1]! <= close) j++;
      if (j >= 0) oi[i] = s.value[j]!;
    }
    return { delta, cvd, openInterest: oi };
  }

  /**
   * The newest values as named signals (StrategyContext.signals): `cvd`, `cvd_delta` (last candle),
   * `open_interest` and `open_interest_change` (since the previous candle's close) when known.
   */
  signals(candles: Candles): Map<string, number> {
    const out = new Map<string, number>();
    const n = candles.length;
    if (n === 0) return out;
    const f = this.series(candles);
    out.set('cvd', f.cvd[n - 1]!);
    out.set('cvd_delta', f.delta[n - 1]!);
    const oi = f.openInterest[n - 1]!;
    if (!Number.isNaN(oi)) {
      out.set('open_interest', oi);
      const prev = n > 1 ? f.openInterest[n - 2]! : Number.NaN;
      if (!Number.isNaN(prev)) out.set('open_interest_change', oi - prev);
    }
    return out;
  }
}
