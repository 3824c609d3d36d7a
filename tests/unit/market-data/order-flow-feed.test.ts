import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { cumulativeVolumeDelta } from '../../../src/domain/order-flow.ts';
import { OrderFlowFeed } from '../../../src/market-data/order-flow-feed.ts';
import { MIN } from './doubles.ts';

const T0 = Date.UTC(2024, 0, 1);

/** 5 candles: up 10, down 4, doji 7, up 2, down 1 → deltas 10, −4, 0, 2, −1. */
const candles = candlesFromRows([
  { ts: T0, open: 100, high: 102, low: 99, close: 101, volume: 10 },
  { ts: T0 + MIN, open: 101, high: 101, low: 98, close: 99, volume: 4 },
  { ts: T0 + 2 * MIN, open: 99, high: 100, low: 98, close: 99, volume: 7 },
  { ts: T0 + 3 * MIN, open: 99, high: 103, low: 99, close: 102, volume: 2 },
  { ts: T0 + 4 * MIN, open: 102, high: 102, low: 100, close: 101, volume: 1 },
]);

function venue(values: Array<number | undefined | Error>) {
  const calls: number[] = [];
  let t = 0;
  return {
    calls,
    setTime: (x: number) => (t = x),
    now: () => t,
    marketData: {
      async fetchOpenInterest() {
        calls.push(t);
        const v = values.shift();
        if (v instanceof Error) throw v;
        return v;
      },
    },
  };
}

describe('order-flow feed', () => {
  it('CVD series are the domain approximation (volume × sign(close − open), running sum)', () => {
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT', timeframe: '1m', marketData: {} });
    const s = feed.series(candles);
    expect(Array.from(s.delta)).toEqual([10, -4, 0, 2, -1]);
    expect(Array.from(s.cvd)).toEqual([10, 6, 6, 8, 7]);
    expect(Array.from(s.cvd)).toEqual(Array.from(cumulativeVolumeDelta(candles).cvd));
    expect(feed.openInterestAvailable).toBe(false);
    expect(Array.from(s.openInterest).every(Number.isNaN)).toBe(true);
  });

  it('samples open interest at most once per interval, however often the engine ticks', async () => {
    const v = venue([1_000, 1_010, 1_020]);
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT:USDT', timeframe: '1m', marketData: v.marketData, now: v.now, minSampleIntervalMs: 60_000 });
    for (let t = T0; t < T0 + 150_000; t += 10_000) {
      v.setTime(t);
      await feed.sample();
    }
    expect(v.calls).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(Array.from(feed.samples().value)).toEqual([1_000, 1_010, 1_020]);
  });

  it('aligns samples to candles without look-ahead: a candle sees only samples taken by its close', () => {
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT:USDT', timeframe: '1m', marketData: {} });
    feed.push(T0 + 90_000, 500); // during candle 1 (closes at T0 + 2 min)
    feed.push(T0 + 2 * MIN, 510); // exactly at candle 1's close: visible to it
    feed.push(T0 + 4 * MIN + 1, 530); // after candle 3's close, before candle 4's
    const s = feed.series(candles);
    expect(Array.from(s.openInterest)).toEqual([Number.NaN, 510, 510, 510, 530]);
    const signals = feed.signals(candles);
    expect(Object.fromEntries(signals)).toEqual({ cvd: 7, cvd_delta: -1, open_interest: 530, open_interest_change: 20 });
  });

  it('stops asking a venue that answers "not offered"; a failed request is skipped and retried next interval', async () => {
    const spot = venue([undefined, 1]);
    const feed = new OrderFlowFeed({ symbol: 'BTC/USDT', timeframe: '1m', marketData: spot.marketData, now: spot.now, minSampleIntervalMs: 1 });
    expect(await feed.sample()).toBeUndefined();
    spot.setTime(10);
    expect(await feed.sample()).toBeUndefined();
    expect(spot.calls).toHaveLength(1);
    expect(feed.openInterestAvailable).toBe(false);

    const warnings: string[] = [];
    const flaky = venue([new Error('timeout'), 42]);
    const f2 = new OrderFlowFeed({ symbol: 'X', timeframe: '1m', marketData: flaky.marketData, now: flaky.now, minSampleIntervalMs: 5, logger: { warn: (_o, m) => warnings.push(m) } });
    expect(await f2.sample()).toBeUndefined();
    expect(warnings).toEqual(['open interest sample failed']);
    flaky.setTime(5);
    expect(await f2.sample()).toBe(42);
    expect(f2.openInterestAvailable).toBe(true);
  });

  it('keeps the newest samples when full, and refuses samples out of time order', () => {
    const feed = new OrderFlowFeed({ symbol: 'X', timeframe: '1m', marketData: {}, capacity: 3 });
    for (let i = 1; i <= 5; i++) feed.push(i * 1_000, i);
    expect(Array.from(feed.samples().ts)).toEqual([3_000, 4_000, 5_000]);
    expect(() => feed.push(4_500, 9)).toThrow(/time order/);
  });
});
