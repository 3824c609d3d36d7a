import { alignTs, timeframeToMs } from '../../../src/domain/timeframe.ts';
import type { CandleRow } from '../../../src/domain/candles.ts';

/** Binance interval names the local exchange accepts (1M has no fixed length and is left out). */
const INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w']);

export function intervalMs(interval: string): number | undefined {
  return INTERVALS.has(interval) ? timeframeToMs(interval) : undefined;
}

/** 32-bit string hash (FNV-1a) so a series is a pure function of seed, symbol and interval. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform [0, 1) noise for candle index `k` (mulberry32 step on a mixed key). */
function noise(key: number, k: number): number {
  let t = (key ^ Math.imul(k, 0x9e3779b1)) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export interface KlineQuery {
  symbolId: string;
  interval: string;
  startTime?: number;
  endTime?: number;
  limit: number;
  /** Exchange clock: the candle containing `now` is the still-forming one. */
  now: number;
  /** Reference price used to scale the generated series. */
  basePrice: number;
  /** Price of the still-forming candle's close (the live price). */
  livePrice: number;
}

/**
 * Deterministic candle history per (symbol, interval): every candle is a pure function of the seed and
 * its index, so a test sees the same values on every run while the window follows the real clock.
 * History starts `historyCandles` intervals before the moment the exchange started.
 */
export class CandleSeries {
  private readonly overrides = new Map<string, CandleRow[]>();

  constructor(
    private readonly seed: number,
    private readonly startedAt: number,
    private readonly historyCandles: number,
  ) {}

  /** Replace the generated series of one symbol/interval by exactly these rows (ascending). */
  set(symbolId: string, interval: string, rows: readonly CandleRow[]): void {
    this.overrides.set(`${symbolId}|${interval}`, [...rows].sort((a, b) => a.ts - b.ts));
  }

  /** First open time of the generated history for an interval. */
  historyStart(interval: string): number {
    const ms = intervalMs(interval)!;
    return alignTs(this.startedAt, ms) - this.historyCandles * ms;
  }

  /** Binance kline semantics: startTime → oldest first from there; no startTime → the latest `limit`. */
  query(q: KlineQuery): CandleRow[] {
    const ms = intervalMs(q.interval)!;
    const override = this.overrides.get(`${q.symbolId}|${q.interval}`);
    if (override) {
      let rows = override.filter((r) => (q.startTime === undefined || r.ts >= q.startTime) && (q.endTime === undefined || r.ts <= q.endTime));
      rows = q.startTime === undefined ? rows.slice(-q.limit) : rows.slice(0, q.limit);
      return rows;
    }
    const first = this.historyStart(q.interval);
    const formingOpen = alignTs(q.now, ms);
    const lastOpen = q.endTime === undefined ? formingOpen : Math.min(formingOpen, alignTs(q.endTime, ms));
    let from: number;
    if (q.startTime !== undefined) {
      from = Math.max(first, Math.ceil(q.startTime / ms) * ms);
      if (ms === 604_800_000) from = Math.max(first, alignTs(q.startTime + ms - 1, ms));
    } else {
      from = Math.max(first, lastOpen - (q.limit - 1) * ms);
    }
    const rows: CandleRow[] = [];
    for (let ts = from; ts <= lastOpen && rows.length < q.limit; ts += ms) {
      rows.push(this.candle(q.symbolId, q.interval, ts, ms, q.basePrice, ts === formingOpen ? q.livePrice : undefined));
    }
    return rows;
  }

  private candle(symbolId: string, interval: string, ts: number, ms: number, basePrice: number, liveClose?: number): CandleRow {
    const key = hash32(`${this.seed}|${symbolId}|${interval}`);
    const k = Math.round(ts / ms);
    const level = (i: number) => basePrice * (1 + 0.04 * Math.sin(i / 40) + 0.01 * (noise(key, i) - 0.5));
    const open = round2(level(k - 1));
    const close = liveClose ?? round2(level(k));
    const wiggle = basePrice * 0.004 * noise(key ^ 0x5bd1e995, k);
    const high = round2(Math.max(open, close) + wiggle);
    const low = round2(Math.min(open, close) - wiggle);
    const volume = Math.round((1 + 20 * noise(key ^ 0x27d4eb2f, k)) * 1e5) / 1e5;
    return { ts, open, high, low, close, volume };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
