import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { candlesToRows, type CandleRow } from '../../../src/domain/candles.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { backoffDelay, DEFAULT_BACKOFF, type CandleWatcher, type FeedTimers } from '../../../src/market-data/candle-watcher.ts';
import { createLiveFeed, type LiveFeed, type LiveFeedOptions } from '../../../src/market-data/live-feed.ts';
import { candleAt, ClockVenue, MemoryCandleStore, MIN } from './doubles.ts';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const timers: FeedTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** A websocket double: tests push updates or failures; a pending call waits for the next one. */
class FakeWatcher implements CandleWatcher {
  calls = 0;
  closed = false;
  private queue: Array<readonly CandleRow[] | Error> = [];
  private waiting: { resolve(rows: readonly CandleRow[]): void; reject(err: Error): void } | undefined;

  watchCandles(): Promise<readonly CandleRow[]> {
    this.calls++;
    const next = this.queue.shift();
    if (next instanceof Error) return Promise.reject(next);
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  push(item: readonly CandleRow[] | Error): void {
    const w = this.waiting;
    if (!w) {
      this.queue.push(item);
      return;
    }
    this.waiting = undefined;
    if (item instanceof Error) w.reject(item);
    else w.resolve(item);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting?.reject(new Error('closed'));
    this.waiting = undefined;
  }
}

describe('backoffDelay', () => {
  it('doubles from 1 s up to 60 s, and jitter takes up to half off', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, DEFAULT_BACKOFF, none))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(3_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999_999)).toBe(2_000);
  });
});

describe('live candle feed', () => {
  let feed: LiveFeed | undefined;
  let events: DomainEvent[];
  let store: MemoryCandleStore;
  let received: CandleRow[];

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 + 20_000 });
    events = [];
    store = new MemoryCandleStore();
    received = [];
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    vi.useRealTimers();
  });

  const make = (o: Partial<LiveFeedOptions> & Pick<LiveFeedOptions, 'marketData'>): LiveFeed => {
    feed = createLiveFeed({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      store,
      bus: { publish: (e) => events.push(e) },
      now: () => Date.now(),
      timers,
      random: () => 0,
      ...o,
    });
    feed.onCandles((c) => received.push(...candlesToRows(c)));
    return feed;
  };

  it('polling: delivers each closed candle once, in order, soon after it closes, and stores it', async () => {
    const venue = new ClockVenue(() => Date.now());
    store.rows.set(T0 - 5 * MIN, candleAt(T0 - 5 * MIN)); // stored before a restart: catch up from there
    const f = make({ marketData: venue });
    f.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(received.map((r) => r.ts)).toEqual([-4, -3, -2, -1].map((k) => T0 + k * MIN));
    await vi.advanceTimersByTimeAsync(10 * MIN);
    const expected = Array.from({ length: 14 }, (_, i) => T0 + (i - 4) * MIN);
    expect(received.map((r) => r.ts)).toEqual(expected);
    expect(received).toEqual(expected.map(candleAt));
    expect(store.sorted().map((r) => r.ts)).toEqual([T0 - 5 * MIN, ...expected]);
    expect(f.lastClosedTs()).toBe(T0 + 9 * MIN);
    // Polls land just after each close (+1.5 s settle), about one per candle.
    expect(venue.callTimes.length).toBeLessThanOrEqual(12);
    expect(venue.callTimes.slice(1, 4).map((t) => t - T0)).toEqual([61_500, 121_500, 181_500]);
    expect(events).toEqual([]);
    expect(f.isStale()).toBe(false);
    expect(f.staleness()).toBeLessThan(1);
  });

  it('retries with exponential backoff and jitter, alerts once after 5 failures in a row, and recovers', async () => {
    const venue = new ClockVenue(() => Date.now());
    venue.failing = true;
    const f = make({ marketData: venue, random: () => 0.5, staleAfterMs: 60 * MIN });
    f.start();
    await vi.advanceTimersByTimeAsync(200_000);
    const gaps = venue.callTimes.slice(1).map((t, i) => t - venue.callTimes[i]!);
    // 1, 2, 4, 8, 16, 32, 60 s × (1 − 0.5 × 0.5)
    expect(gaps.slice(0, 7)).toEqual([750, 1_500, 3_000, 6_000, 12_000, 24_000, 45_000]);
    const alerts = events.filter((e) => e.type === 'exchange-error');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'exchange-error', kind: 'candle-feed', critical: false });
    expect((alerts[0] as { message: string }).message).toMatch(/binance BTC\/USDT 1m candle feed \(polling\) failed 5 times in a row: ECONNRESET/);
    expect(f.failures()).toBeGreaterThanOrEqual(8);

    venue.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.failures()).toBe(0);
    expect(received.length).toBeGreaterThan(0);

    // A new streak is a new alert.
    venue.failing = true;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(events.filter((e) => e.type === 'exchange-error')).toHaveLength(2);
  });

  it('raises stale-data once when no candle closes for 2 × the timeframe, and again only after recovering', async () => {
    const venue = new ClockVenue(() => Date.now());
    venue.frozenAt = T0 + 2 * MIN; // the venue stops producing candles after 12:01
    const f = make({ marketData: venue });
    f.start();
    await vi.advanceTimersByTimeAsync(3 * MIN);
    expect(f.lastClosedTs()).toBe(T0 + MIN);
    expect(events).toEqual([]);
    // 12:01 closed at 12:02; stale from 12:04 on.
    await vi.advanceTimersByTimeAsync(T0 + 4 * MIN - Date.now() - 1);
    expect(f.isStale()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ type: 'stale-data', ts: T0 + 4 * MIN, symbol: 'BTC/USDT', timeframe: '1m', lastCandleTs: T0 + MIN }]);
    expect(f.isStale()).toBe(true);
    expect(f.staleness()).toBeCloseTo(2, 5);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(events).toHaveLength(1);
    expect(f.staleness()).toBeCloseTo(12, 5);

    venue.frozenAt = undefined;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(f.isStale()).toBe(false);
    expect(f.staleness()).toBeLessThan(1);
    venue.frozenAt = Date.now();
    await vi.advanceTimersByTimeAsync(4 * MIN);
    expect(events.filter((e) => e.type === 'stale-data')).toHaveLength(2);
  });

  it('websocket: a candle is emitted once a newer one appears, with its final values', async () => {
    const venue = new ClockVenue(() => Date.now());
    const watcher = new FakeWatcher();
    const f = make({ marketData: venue, watcher });
    expect(f.mode).toBe('websocket');
    f.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(received.map((r) => r.ts)).toEqual([T0 - MIN]); // REST: the newest closed candle
    const forming = { ts: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 };
    watcher.push([forming]);
    watcher.push([{ ...forming, close: 1.8, high: 2.5, volume: 4 }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(received).toHaveLength(1);
    vi.setSystemTime(T0 + MIN + 500);
    watcher.push([{ ...forming, close: 1.9, high: 2.5, volume: 5 }, { ts: T0 + MIN, open: 1.9, high: 1.9, low: 1.9, close: 1.9, volume: 0.1 }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(received.slice(1)).toEqual([{ ...forming, close: 1.9, high: 2.5, volume: 5 }]);
    expect(store.rows.get(T0)).toEqual({ ...forming, close: 1.9, high: 2.5, volume: 5 });
  });

  it('websocket: after a drop it backs off, keeps candles flowing over REST, and fills the hole before emitting newer ones', async () => {
    const venue = new ClockVenue(() => Date.now());
    const watcher = new FakeWatcher();
    const f = make({ marketData: venue, watcher });
    f.start();
    await vi.advanceTimersByTimeAsync(0);
    watcher.push(new Error('socket closed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(f.failures()).toBe(1);
    // Down for five minutes: every reconnect fails.
    for (let i = 0; i < 8; i++) watcher.push(new Error('socket closed'));
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(f.failures()).toBe(9);
    expect(events.filter((e) => e.type === 'exchange-error')).toHaveLength(1);
    expect((events[0] as { message: string }).message).toContain('(websocket)');
    // REST kept the feed fed meanwhile, so it is not stale.
    expect(f.isStale()).toBe(false);
    const lastBefore = f.lastClosedTs()!;

    // Reconnected three minutes later: the stream starts at the forming candle; the gap comes from REST.
    vi.setSystemTime(Date.now() + 3 * MIN);
    const formingTs = Math.floor(Date.now() / MIN) * MIN;
    watcher.push([{ ...candleAt(formingTs - MIN) }, { ...candleAt(formingTs), close: 99 }]);
    await vi.advanceTimersByTimeAsync(120_000);
    const ts = received.map((r) => r.ts);
    expect(ts).toEqual([...new Set(ts)].sort((a, b) => a - b)); // each once, in order
    for (let t = lastBefore; t < formingTs; t += MIN) expect(ts).toContain(t);
    expect(f.failures()).toBe(0);
  });

  it('stop() ends polling and releases the watcher', async () => {
    const venue = new ClockVenue(() => Date.now());
    const watcher = new FakeWatcher();
    const f = make({ marketData: venue, watcher });
    f.start();
    await vi.advanceTimersByTimeAsync(0);
    await f.stop();
    expect(watcher.closed).toBe(true);
    const calls = venue.callTimes.length;
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(venue.callTimes.length).toBe(calls);
    expect(events).toEqual([]);
  });
});
