import { sliceCandles, type Candles } from '../domain/candles.ts';
import { AppError } from '../domain/errors.ts';
import { alignTs, timeframeToMs } from '../domain/timeframe.ts';
import type { MarketData } from '../ports/market-data.ts';
import type { CandleConflictPolicy, CandleUpsertOptions, CandleUpsertResult } from '../adapters/db/repositories/candles.ts';

/** The part of the candle store the download needs (CandleStore, or a test double). */
export interface CandleSink {
  latestTs(exchange: string, symbol: string, timeframe: string): Promise<number | undefined>;
  earliestTs(exchange: string, symbol: string, timeframe: string): Promise<number | undefined>;
  upsert(exchange: string, symbol: string, timeframe: string, candles: Candles, options?: CandleUpsertOptions): Promise<CandleUpsertResult>;
}

export interface FetchCandlesRequest {
  marketData: Pick<MarketData, 'fetchCandles'>;
  store: CandleSink;
  /** Series key the candles are stored under (usually `marketData.exchangeId`). */
  exchange: string;
  symbol: string;
  timeframe: string;
  /** First open time wanted (UTC ms). Default: after the newest stored candle, or `defaultLookbackMs` back. */
  since?: number;
  /** Open times strictly before this (UTC ms). Default: up to the last closed candle. */
  until?: number;
  /** The venue's clock: candles with open + timeframe <= now are closed. */
  now: () => number;
  /** Candles per request (default 1,000: Binance's maximum; the adapter splits further if the venue wants less). */
  pageLimit?: number;
  /** With no stored data and no `since` (default 365 days). */
  defaultLookbackMs?: number;
  onProgress?: (p: FetchProgress) => void;
  /** Stop after the page in flight (its candles are kept): Ctrl-C in the CLI, cancel in chat. */
  signal?: AbortSignal;
}

export interface FetchProgress {
  /** Timeframe slots covered so far (gaps count as covered) and in all: drives bars and ETAs. */
  done: number;
  total: number;
  /** Candles received and stored so far. */
  fetched: number;
  pages: number;
}

export interface FetchSegment {
  from: number;
  to: number;
  direction: 'forward' | 'backward';
}

export interface FetchCandlesResult extends CandleUpsertResult {
  /** The window asked for, [from, to) on open times; from = to when there was nothing to do. */
  from: number;
  to: number;
  segments: FetchSegment[];
  fetched: number;
  pages: number;
  /** Stopped by the signal before the end; a rerun continues from what was stored. */
  interrupted: boolean;
}

const DEFAULT_PAGE = 1_000;
const YEAR_MS = 365 * 86_400_000;

/** First open time at or after `ts`. */
function alignUp(ts: number, tfMs: number): number {
  const a = alignTs(ts, tfMs);
  return a < ts ? a + tfMs : a;
}

/**
 * What to download: after the newest stored candle (incremental), and — when `since` reaches before
 * the oldest stored candle — the history before it, walked backwards so the stored series stays one
 * piece (an interrupted backfill resumes from the new oldest candle, never leaving a hole).
 * Interior gaps are not re-requested: on an exchange a missing candle means no trades.
 */
export function planSegments(o: { since?: number; until?: number; now: number; tfMs: number; earliest?: number; latest?: number; lookbackMs: number }): { from: number; to: number; segments: FetchSegment[] } {
  const closedEnd = alignTs(o.now, o.tfMs);
  const to = Math.min(o.until ?? closedEnd, closedEnd);
  const from = o.since !== undefined ? alignUp(o.since, o.tfMs) : o.latest !== undefined ? o.latest + o.tfMs : alignUp(o.now - o.lookbackMs, o.tfMs);
  const segments: FetchSegment[] = [];
  if (o.latest === undefined || o.earliest === undefined) {
    if (from < to) segments.push({ from, to, direction: 'forward' });
    return { from, to: Math.max(from, to), segments };
  }
  if (from < o.earliest) {
    const end = Math.min(o.earliest, to);
    if (from < end) segments.push({ from, to: end, direction: 'backward' });
  }
  const forwardFrom = Math.max(from, o.latest + o.tfMs);
  if (forwardFrom < to) segments.push({ from: forwardFrom, to, direction: 'forward' });
  return { from, to: Math.max(from, to), segments };
}

/** Rows of `c` with from <= ts < to (c ascending). */
function window(c: Candles, from: number, to: number): Candles {
  let a = 0;
  while (a < c.length && c.ts[a]! < from) a++;
  let b = a;
  while (b < c.length && c.ts[b]! < to) b++;
  return sliceCandles(c, a, b);
}

/**
 * Download the candles missing from the store, page by page, each page committed as it arrives: a
 * crash or Ctrl-C loses at most the page in flight, and a rerun continues where the store ends.
 * Pagination is ours (ccxt's `paginate` returned nothing for a historical `since`): forward pages ask
 * from the last stored open time + 1 timeframe; an empty page means the venue has nothing more.
 * Upserts make repeated or overlapping pages harmless (no duplicates).
 */
export async function fetchMissingCandles(req: FetchCandlesRequest): Promise<FetchCandlesResult> {
  const tfMs = timeframeToMs(req.timeframe);
  const pageLimit = Math.floor(req.pageLimit ?? DEFAULT_PAGE);
  if (!(pageLimit >= 1)) throw new AppError('BAD_REQUEST', `page size must be at least 1, got ${req.pageLimit}`);
  if (req.since !== undefined && req.until !== undefined && req.until <= req.since) {
    throw new AppError('BAD_REQUEST', `--until (${new Date(req.until).toISOString()}) must be after --since (${new Date(req.since).toISOString()})`);
  }
  const { exchange, symbol, timeframe } = req;
  const [earliest, latest] = [await req.store.earliestTs(exchange, symbol, timeframe), await req.store.latestTs(exchange, symbol, timeframe)];
  const plan = planSegments({ since: req.since, until: req.until, now: req.now(), tfMs, earliest, latest, lookbackMs: req.defaultLookbackMs ?? YEAR_MS });
  const result: FetchCandlesResult = { ...plan, inserted: 0, updated: 0, unchanged: 0, fetched: 0, pages: 0, interrupted: false };
  const total = plan.segments.reduce((n, s) => n + Math.ceil((s.to - s.from) / tfMs), 0);
  let done = 0;
  const policy: CandleConflictPolicy = 'update';

  const store = async (page: Candles): Promise<void> => {
    const r = await req.store.upsert(exchange, symbol, timeframe, page, { onConflict: policy });
    result.inserted += r.inserted;
    result.updated += r.updated;
    result.unchanged += r.unchanged;
    result.fetched += page.length;
  };
  const progress = (): void => req.onProgress?.({ done: Math.min(done, total), total, fetched: result.fetched, pages: result.pages });
  const aborted = (): boolean => {
    if (req.signal?.aborted) result.interrupted = true;
    return result.interrupted;
  };

  progress();
  for (const seg of plan.segments) {
    if (seg.direction === 'forward') {
      let cursor = seg.from;
      while (cursor < seg.to && !aborted()) {
        const want = Math.min(pageLimit, Math.ceil((seg.to - cursor) / tfMs));
        const page = window(await req.marketData.fetchCandles(symbol, timeframe, cursor, want), cursor, seg.to);
        result.pages++;
        if (page.length === 0) break;
        await store(page);
        const next = page.ts[page.length - 1]! + tfMs;
        done += (next - cursor) / tfMs;
        cursor = next;
        progress();
      }
      // Slots the venue had nothing for (the end of its data) still count as covered.
      if (!result.interrupted) done += Math.max(0, (seg.to - cursor) / tfMs);
    } else {
      let upper = seg.to;
      while (upper > seg.from && !aborted()) {
        const lower = Math.max(seg.from, upper - pageLimit * tfMs);
        const page = window(await req.marketData.fetchCandles(symbol, timeframe, lower, Math.ceil((upper - lower) / tfMs)), lower, upper);
        result.pages++;
        // A whole page-sized window without candles: the venue's history starts after it.
        if (page.length === 0) break;
        await store(page);
        done += (upper - lower) / tfMs;
        upper = lower;
        progress();
      }
      if (!result.interrupted) done += Math.max(0, (upper - seg.from) / tfMs);
    }
    progress();
  }
  return result;
}
