import { allocCandles, type Candles } from '../../domain/candles.ts';
import { alignTs, timeframeToMs } from '../../domain/timeframe.ts';

/** One OHLCV page as ccxt returns it: `[ts, open, high, low, close, volume]` rows. */
export type OhlcvPage = (fetchSince: number, pageLimit: number) => Promise<readonly (readonly (number | undefined)[])[]>;

export interface ClosedCandlesRequest {
  timeframe: string;
  since: number | undefined;
  limit: number;
  /** The venue's clock: a candle is closed when open + timeframe <= now. */
  now: number;
  /** Largest page the venue serves (ccxt `features…fetchOHLCV.limit`). */
  pageLimit: number;
}

/**
 * Closed candles only, ascending, open time >= since, at most `limit`, paginated by ourselves.
 * ccxt's `paginate: true` returned nothing for a historical `since` without `until`, so pages are
 * walked here: each asks from the last open time + 1 timeframe until `limit` rows or the last closed
 * candle is reached. Without `since`, the window ends at the last closed candle.
 */
export async function fetchClosedCandles(req: ClosedCandlesRequest, fetchPage: OhlcvPage): Promise<Candles> {
  const tf = timeframeToMs(req.timeframe);
  const limit = Math.max(0, Math.floor(req.limit));
  const lastClosedOpen = alignTs(req.now, tf) - tf;
  const since = req.since ?? lastClosedOpen - (limit - 1) * tf;
  if (limit === 0 || since > lastClosedOpen) return allocCandles(0);

  const rows: (readonly number[])[] = [];
  let cursor = since;
  let lastTs = -Infinity;
  // A bound on pages so a venue that ignores `since` cannot keep us looping.
  const maxPages = Math.ceil(limit / Math.max(1, req.pageLimit)) + 3;
  for (let page = 0; page < maxPages && rows.length < limit && cursor <= lastClosedOpen; page++) {
    // One extra row: the still-forming candle may take a slot in the answer.
    const want = Math.min(req.pageLimit, limit - rows.length + 1);
    const batch = await fetchPage(cursor, want);
    let added = 0;
    for (const r of batch) {
      const ts = r[0];
      if (typeof ts !== 'number' || ts < since || ts <= lastTs || ts > lastClosedOpen) continue;
      rows.push(r as readonly number[]);
      lastTs = ts;
      added++;
      if (rows.length >= limit) break;
    }
    if (added === 0) break;
    cursor = lastTs + tf;
  }

  const out = allocCandles(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.ts[i] = r[0]!;
    out.open[i] = r[1] ?? NaN;
    out.high[i] = r[2] ?? NaN;
    out.low[i] = r[3] ?? NaN;
    out.close[i] = r[4] ?? NaN;
    out.volume[i] = r[5] ?? 0;
  }
  return out;
}
