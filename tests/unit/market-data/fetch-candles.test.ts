import { describe, expect, it } from 'vitest';
import { candlesToRows, sliceCandles } from '../../../src/domain/candles.ts';
import { fetchMissingCandles, planSegments, type FetchProgress } from '../../../src/market-data/fetch-candles.ts';
import { knownSeries, MemoryCandleStore, MIN, SeriesVenue } from './doubles.ts';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

function setup(n: number, options: { pageCap?: number; skip?: Set<number>; start?: number } = {}) {
  const series = knownSeries(n, options.start ?? T0, MIN, options.skip);
  // The venue's clock: 30 s into the minute after the last candle, so every candle is closed.
  let now = (options.start ?? T0) + n * MIN + 30_000;
  const venue = new SeriesVenue(series, () => now, MIN, options.pageCap);
  const store = new MemoryCandleStore();
  const request = (extra: Partial<Parameters<typeof fetchMissingCandles>[0]> = {}) =>
    fetchMissingCandles({ marketData: venue, store, exchange: 'x', symbol: 'BTC/USDT', timeframe: '1m', now: () => now, since: options.start ?? T0, ...extra });
  return { series, venue, store, request, advance: (ms: number) => (now += ms) };
}

describe('planSegments', () => {
  const base = { now: T0 + 10 * DAY + 30_000, tfMs: MIN, lookbackMs: 365 * DAY };

  it('with nothing stored and no since: one year back up to the last closed candle', () => {
    const p = planSegments(base);
    // now − 1 year is 30 s into a minute: the first candle opening at or after it.
    expect(p.segments).toEqual([{ from: T0 + 10 * DAY - 365 * DAY + MIN, to: T0 + 10 * DAY, direction: 'forward' }]);
  });

  it('incremental: after the newest stored candle; nothing when it is the last closed one', () => {
    expect(planSegments({ ...base, earliest: T0, latest: T0 + 5 * DAY }).segments).toEqual([{ from: T0 + 5 * DAY + MIN, to: T0 + 10 * DAY, direction: 'forward' }]);
    expect(planSegments({ ...base, earliest: T0, latest: T0 + 10 * DAY - MIN }).segments).toEqual([]);
  });

  it('since before the stored data: a backward backfill up to the oldest candle, then forward', () => {
    const p = planSegments({ ...base, since: T0 - DAY + 1, earliest: T0, latest: T0 + DAY });
    expect(p.from).toBe(T0 - DAY + MIN); // an unaligned since starts at the next candle
    expect(p.segments).toEqual([
      { from: T0 - DAY + MIN, to: T0, direction: 'backward' },
      { from: T0 + DAY + MIN, to: T0 + 10 * DAY, direction: 'forward' },
    ]);
  });

  it('until bounds both directions and never reaches past the last closed candle', () => {
    expect(planSegments({ ...base, since: T0 - DAY, until: T0 + 12 * 60 * MIN, earliest: T0, latest: T0 + DAY }).segments).toEqual([
      { from: T0 - DAY, to: T0, direction: 'backward' },
    ]);
    expect(planSegments({ ...base, since: T0, until: T0 + 100 * DAY }).to).toBe(T0 + 10 * DAY);
  });
});

describe('fetchMissingCandles', () => {
  it('paginates by itself over many pages, each request starting after the last candle received', async () => {
    const { series, venue, store, request } = setup(10_000);
    const r = await request({ pageLimit: 300 });
    expect(r).toMatchObject({ fetched: 10_000, inserted: 10_000, updated: 0, unchanged: 0, pages: 34, interrupted: false });
    expect(store.sorted()).toEqual(candlesToRows(series));
    expect(venue.calls.length).toBe(34);
    for (let k = 1; k < venue.calls.length; k++) expect(venue.calls[k]!.since).toBe(T0 + k * 300 * MIN);
    expect(venue.calls.every((c) => c.limit <= 300)).toBe(true);
    expect(venue.calls.at(-1)!.limit).toBe(10_000 - 33 * 300); // the last page asks for what is left
  });

  it('copes with a venue that serves less than asked per request (its own page limit)', async () => {
    const { series, store, request } = setup(2_500, { pageCap: 100 });
    const r = await request({ pageLimit: 1_000 });
    expect(r.fetched).toBe(2_500);
    expect(store.sorted()).toEqual(candlesToRows(series));
  });

  it('is incremental: a rerun asks nothing when up to date, and only the new candles later', async () => {
    const { venue, store, request, advance } = setup(1_000);
    await request({ since: undefined, defaultLookbackMs: 2 * DAY });
    const calls = venue.calls.length;
    const again = await request({ since: undefined });
    expect(again.segments).toEqual([]);
    expect(venue.calls.length).toBe(calls);
    venue.series = knownSeries(1_005, T0);
    advance(5 * MIN);
    const more = await request({ since: undefined });
    expect(more).toMatchObject({ inserted: 5, fetched: 5, pages: 1 });
    expect(venue.calls.at(-1)!.since).toBe(T0 + 1_000 * MIN);
    expect(store.rows.size).toBe(1_005);
  });

  it('resumes after a failure mid-way: the pages before it are kept, the rerun continues, no duplicates, no holes', async () => {
    const { series, venue, store, request } = setup(5_000);
    venue.failOn.add(7);
    await expect(request({ pageLimit: 500 })).rejects.toThrow('venue unavailable (call 7)');
    expect(store.rows.size).toBe(3_000); // six pages committed as they arrived
    const calls = venue.calls.length;
    const r = await request({ pageLimit: 500 });
    expect(venue.calls[calls]!.since).toBe(T0 + 3_000 * MIN);
    expect(r).toMatchObject({ inserted: 2_000, updated: 0, unchanged: 0, pages: 4 });
    expect(store.sorted()).toEqual(candlesToRows(series));
  });

  it('stops after the page in flight when aborted, and a rerun finishes the job', async () => {
    const { series, store, request } = setup(3_000);
    const abort = new AbortController();
    const first = await request({ pageLimit: 400, signal: abort.signal, onProgress: (p) => p.pages === 2 && abort.abort() });
    expect(first.interrupted).toBe(true);
    expect(store.rows.size).toBe(800);
    const second = await request({ pageLimit: 400 });
    expect(second).toMatchObject({ interrupted: false, inserted: 2_200 });
    expect(store.sorted()).toEqual(candlesToRows(series));
  });

  it('backfills history before the stored data backwards, and an interrupted backfill resumes without a hole', async () => {
    const { series, venue, store, request } = setup(4_000);
    await store.upsert('x', 'BTC/USDT', '1m', sliceCandles(series, 3_000));
    venue.failOn.add(2);
    await expect(request({ pageLimit: 400 })).rejects.toThrow('call 2');
    expect(await store.earliestTs()).toBe(T0 + 2_600 * MIN); // one backward page: [2600, 3000)
    const r = await request({ pageLimit: 400 });
    expect(r.segments).toEqual([{ from: T0, to: T0 + 2_600 * MIN, direction: 'backward' }]);
    expect(store.sorted()).toEqual(candlesToRows(series));
    // Backward pages: each window ends where the stored series begins.
    const sinces = venue.calls.slice(2).map((c) => c.since);
    expect(sinces).toEqual([2_200, 1_800, 1_400, 1_000, 600, 200, 0].map((k) => T0 + k * MIN));
  });

  it('stops the backfill at the start of the venue’s history (a window with no candles)', async () => {
    const listing = T0 + 2 * DAY;
    const { series, venue, store, request } = setup(3_000, { start: listing });
    await store.upsert('x', 'BTC/USDT', '1m', sliceCandles(series, 2_000));
    const r = await request({ since: T0, pageLimit: 500 });
    expect(store.sorted()).toEqual(candlesToRows(series));
    expect(r.inserted).toBe(2_000);
    expect(venue.calls.length).toBe(5); // 4 windows with candles, then one empty window
  });

  it('steps over holes in the venue’s data and over the time before its listing', async () => {
    const skip = new Set([10, 11, 12, 500, 501, 1_999].map((k) => T0 + DAY + k * MIN));
    const { series, venue, store, request } = setup(2_000, { start: T0 + DAY, skip });
    const r = await request({ since: T0, pageLimit: 1_000 });
    expect(store.sorted()).toEqual(candlesToRows(series));
    expect(r.fetched).toBe(2_000 - skip.size);
    expect(venue.calls[0]!.since).toBe(T0);
    expect(venue.calls.length).toBe(3); // two full pages from the listing on, and one that comes back empty at the end
  });

  it('respects until (open times strictly before it) and reports progress up to the total', async () => {
    const { store, request } = setup(1_000);
    const seen: FetchProgress[] = [];
    const r = await request({ until: T0 + 250 * MIN, pageLimit: 100, onProgress: (p) => seen.push(p) });
    expect(r.to).toBe(T0 + 250 * MIN);
    expect(store.rows.size).toBe(250);
    expect(await store.latestTs()).toBe(T0 + 249 * MIN);
    expect(seen[0]).toMatchObject({ done: 0, total: 250 });
    expect(seen.at(-1)).toMatchObject({ done: 250, total: 250, fetched: 250, pages: 3 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
  });

  it('refuses until before since and a page size below 1', async () => {
    const { request } = setup(10);
    await expect(request({ until: T0 - MIN })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(request({ pageLimit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
