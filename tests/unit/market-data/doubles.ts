/**
 * Test doubles for the market-data orchestration: a venue that serves a known candle series with
 * ccxt/Binance `since` semantics, and an in-memory candle store with the CandleStore contract.
 */
import { allocCandles, candlesFromRows, candlesToRows, type CandleRow, type Candles } from '../../../src/domain/candles.ts';
import { alignTs } from '../../../src/domain/timeframe.ts';
import type { CandleUpsertOptions, CandleUpsertResult } from '../../../src/adapters/db/repositories/candles.ts';
import type { CandleSink } from '../../../src/market-data/fetch-candles.ts';

export const MIN = 60_000;

/** n candles one timeframe apart from `start`, deterministic values; `skip` open times are left out (gaps). */
export function knownSeries(n: number, start: number, tf = MIN, skip: ReadonlySet<number> = new Set()): Candles {
  const rows: CandleRow[] = [];
  for (let i = 0; i < n; i++) {
    const ts = start + i * tf;
    if (skip.has(ts)) continue;
    const open = 100 + Math.sin(i / 10) * 5;
    const close = 100 + Math.sin((i + 1) / 10) * 5;
    rows.push({ ts, open, high: Math.max(open, close) + 0.25, low: Math.min(open, close) - 0.25, close, volume: 1 + (i % 13) });
  }
  return candlesFromRows(rows);
}

export interface FetchCall {
  since: number | undefined;
  limit: number;
}

/**
 * Serves `series` like an exchange: the first `limit` closed candles with open time >= since (so a
 * request skips over holes and the time before the listing), at most `maxPage` per call; a candle
 * is closed when open + tf <= now(). `failOn` makes the n-th call (1-based) throw.
 */
export class SeriesVenue {
  readonly calls: FetchCall[] = [];
  failOn = new Set<number>();
  constructor(
    public series: Candles,
    public now: () => number,
    private readonly tf = MIN,
    private readonly maxPage = Infinity,
  ) {}

  async fetchCandles(_symbol: string, _timeframe: string, since: number | undefined, limit: number): Promise<Candles> {
    this.calls.push({ since, limit });
    if (this.failOn.has(this.calls.length)) throw new Error(`venue unavailable (call ${this.calls.length})`);
    const closedBefore = alignTs(this.now(), this.tf);
    const all = candlesToRows(this.series).filter((r) => r.ts < closedBefore);
    const from = since === undefined ? Math.max(0, all.length - limit) : all.findIndex((r) => r.ts >= since);
    if (from < 0) return allocCandles(0);
    return candlesFromRows(all.slice(from, from + Math.min(limit, this.maxPage)));
  }
}

/** The CandleStore contract in memory (one series), counting what it was asked to write. */
export class MemoryCandleStore implements CandleSink {
  readonly rows = new Map<number, CandleRow>();
  upserts = 0;

  async latestTs(): Promise<number | undefined> {
    return this.rows.size ? Math.max(...this.rows.keys()) : undefined;
  }

  async earliestTs(): Promise<number | undefined> {
    return this.rows.size ? Math.min(...this.rows.keys()) : undefined;
  }

  async upsert(_e: string, _s: string, _t: string, candles: Candles, options: CandleUpsertOptions = {}): Promise<CandleUpsertResult> {
    this.upserts++;
    const r: CandleUpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    for (const row of candlesToRows(candles)) {
      const old = this.rows.get(row.ts);
      if (!old) {
        this.rows.set(row.ts, row);
        r.inserted++;
      } else if (options.onConflict !== 'keep' && JSON.stringify(old) !== JSON.stringify(row)) {
        this.rows.set(row.ts, row);
        r.updated++;
      } else r.unchanged++;
    }
    return r;
  }

  sorted(): CandleRow[] {
    return [...this.rows.values()].sort((a, b) => a.ts - b.ts);
  }
}

/** A deterministic candle for any open time: what a venue "has" at that minute. */
export function candleAt(ts: number): CandleRow {
  const k = ts / MIN;
  const open = 100 + (k % 7);
  const close = 100 + ((k + 3) % 7);
  return { ts, open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1, close, volume: 1 + (k % 5) };
}

/**
 * A venue whose 1m candles exist for every minute up to its clock (`now()`), optionally from
 * `firstTs` on; `failing` makes every call throw, `frozen` makes it answer as if nothing new closed
 * after `frozenAt`. Records each call's time.
 */
export class ClockVenue {
  readonly callTimes: number[] = [];
  failing = false;
  frozenAt: number | undefined;
  constructor(
    private readonly now: () => number,
    private readonly firstTs = 0,
  ) {}

  async fetchCandles(_symbol: string, _timeframe: string, since: number | undefined, limit: number): Promise<Candles> {
    this.callTimes.push(this.now());
    if (this.failing) throw new Error('ECONNRESET');
    const end = Math.min(alignTs(this.now(), MIN), this.frozenAt ?? Infinity); // open times < end are closed
    const from = since === undefined ? end - limit * MIN : Math.max(alignTs(since + MIN - 1, MIN), this.firstTs);
    const rows: CandleRow[] = [];
    for (let ts = Math.max(from, this.firstTs); ts < end && rows.length < limit; ts += MIN) rows.push(candleAt(ts));
    return candlesFromRows(rows);
  }
}
