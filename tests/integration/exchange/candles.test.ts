/** fetchCandles through ccxt: exact values, the forming candle dropped by the venue's clock, own pagination. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchClosedCandles } from '../../../src/adapters/exchange/closed-candles.ts';
import { candlesToRows, type CandleRow } from '../../../src/domain/candles.ts';
import { alignTs } from '../../../src/domain/timeframe.ts';
import { startHarness, type Harness } from './harness.ts';

const MIN = 60_000;
let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** Put the venue's clock 30 s into a minute (plus `shiftMs`), so no candle closes while a test runs. */
function midMinute(shiftMs = 0): void {
  const real = Date.now();
  h.local.state.timeOffsetMs = alignTs(real, MIN) + 30_000 - real + shiftMs;
}

function rows(fromTs: number, n: number, tf = MIN): CandleRow[] {
  return Array.from({ length: n }, (_, i) => ({ ts: fromTs + i * tf, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i, volume: 10 + i }));
}

describe('fetchCandles', () => {
  it('returns the venue’s candles exactly, minus the one still forming', async () => {
    midMinute();
    const now = h.local.state.now();
    const forming = alignTs(now, MIN);
    const series = rows(forming - 5 * MIN, 6); // 5 closed + the forming one
    h.local.state.setCandles('BTC/USDT', '1m', series);
    const c = await h.adapter.fetchCandles('BTC/USDT', '1m', forming - 5 * MIN, 100);
    expect(candlesToRows(c)).toEqual(series.slice(0, 5));
  });

  it('uses the exchange clock, not ours, to decide what is closed', async () => {
    // The venue's clock runs 10 minutes behind ours: candles of the last 10 minutes do not exist there yet.
    midMinute(-10 * MIN);
    const venueNow = h.local.state.now();
    const c = await h.adapter.fetchCandles('BTC/USDT', '1m', undefined, 3);
    expect(c.ts[2]).toBe(alignTs(venueNow, MIN) - MIN);
  });

  it('paginates by itself in pages of the venue limit (spot: 1000)', async () => {
    const since = h.local.state.candles.historyStart('1m');
    const c = await h.adapter.fetchCandles('BTC/USDT', '1m', since, 2_100);
    expect(c.length).toBe(2_100);
    const pages = h.local.requests.filter((r) => r.path === '/api/v3/klines');
    expect(pages.map((p) => Number(p.params.limit))).toEqual([1000, 1000, 101]);
    expect(pages.map((p) => Number(p.params.startTime))).toEqual([since, since + 1000 * MIN, since + 2000 * MIN]);
    expect(pages.every((p) => p.params.paginate === undefined)).toBe(true);
  });

  it('a gap in the venue’s history is skipped, not looped on', async () => {
    const now = h.local.state.now();
    const start = alignTs(now, MIN) - 30 * MIN;
    h.local.state.setCandles('BTC/USDT', '1m', [...rows(start, 5), ...rows(start + 20 * MIN, 5)]);
    const c = await h.adapter.fetchCandles('BTC/USDT', '1m', start, 50);
    expect(c.length).toBe(10);
    expect(c.ts[5]! - c.ts[4]!).toBe(16 * MIN);
  });

  it('limit 0 asks nothing', async () => {
    const before = h.local.requests.length;
    const c = await h.adapter.fetchCandles('BTC/USDT', '1m', undefined, 0);
    expect(c.length).toBe(0);
    // loadMarkets and fetchTime may run; no klines request
    expect(h.local.requests.slice(before).some((r) => r.path === '/api/v3/klines')).toBe(false);
  });
});

describe('fetchClosedCandles (pagination core)', () => {
  it('stops when a venue ignores `since` and keeps answering the same page', async () => {
    const page = rows(0, 3).map((r) => [r.ts, r.open, r.high, r.low, r.close, r.volume]);
    let calls = 0;
    const c = await fetchClosedCandles({ timeframe: '1m', since: 0, limit: 10, now: 100 * MIN, pageLimit: 3 }, async () => {
      calls++;
      return page;
    });
    expect(c.length).toBe(3);
    expect(calls).toBe(2);
  });
});
