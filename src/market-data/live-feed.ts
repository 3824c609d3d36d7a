import { candlesFromRows, candlesToRows, type CandleRow, type Candles } from '../domain/candles.ts';
import type { DomainEvent } from '../domain/events.ts';
import { alignTs, timeframeToMs } from '../domain/timeframe.ts';
import type { MarketData } from '../ports/market-data.ts';
import type { CandleUpsertOptions, CandleUpsertResult } from '../adapters/db/repositories/candles.ts';
import { backoffDelay, DEFAULT_BACKOFF, realTimers, type BackoffPolicy, type CandleWatcher, type FeedTimers } from './candle-watcher.ts';

export interface LiveFeedOptions {
  /** Series key for the store and events (the exchange id). */
  exchange: string;
  symbol: string;
  timeframe: string;
  /** REST: polling, and catching up after a start or a reconnect. */
  marketData: Pick<MarketData, 'fetchCandles'>;
  /** Websocket source; without one the feed polls. */
  watcher?: CandleWatcher;
  /** Newly closed candles are upserted here; its newest candle is where catching up starts. */
  store?: {
    latestTs(exchange: string, symbol: string, timeframe: string): Promise<number | undefined>;
    upsert(exchange: string, symbol: string, timeframe: string, candles: Candles, options?: CandleUpsertOptions): Promise<CandleUpsertResult>;
  };
  /** `exchange-error` after repeated failures, `stale-data` when candles stop closing. */
  bus?: { publish(event: DomainEvent): void };
  /** The venue's clock (UTC ms). */
  now?: () => number;
  timers?: FeedTimers;
  random?: () => number;
  backoff?: Partial<BackoffPolicy>;
  /** Consecutive failures before an `exchange-error` event (default 5); one event per failure streak. */
  alertAfterFailures?: number;
  /** Polling: retry interval when a candle is due but has not come yet (default min(timeframe, 10 s)). */
  pollIntervalMs?: number;
  /** Polling: wait this long after a candle's close before asking for it (default 1.5 s). */
  settleMs?: number;
  /** Stale after this long without a newly closed candle (default 2 × timeframe). */
  staleAfterMs?: number;
  /** Most candles fetched per catch-up request (default 1,000). */
  maxCatchUp?: number;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface LiveFeed {
  readonly mode: 'websocket' | 'polling';
  /** Start feeding (returns at once; work happens on timers and promises). */
  start(): void;
  stop(): Promise<void>;
  /** Newly closed candles, ascending, each once. Returns an unsubscribe function. */
  onCandles(handler: (candles: Candles) => void): () => void;
  /** Open time of the newest closed candle seen (or loaded from the store). */
  lastClosedTs(): number | undefined;
  /** Milliseconds since the newest known candle closed (or since the start, if later). */
  dataAgeMs(): number;
  /** `dataAgeMs / timeframe`: below 1 is fresh; 2 or more is stale. For the panic score. */
  staleness(): number;
  isStale(): boolean;
  /** Consecutive failures right now. */
  failures(): number;
}

/**
 * A closed-candle feed for one (symbol, timeframe). With a websocket watcher it listens to ccxt
 * `watchOHLCV` updates: a candle is closed once a newer one appears, and a hole (a reconnect, a
 * start after downtime) is filled over REST before anything is emitted, so subscribers and the store
 * see every candle once and in order. Without one it polls REST right after each expected close.
 *
 * Failures (a dropped socket, a REST error) are retried with exponential backoff and jitter; after
 * `alertAfterFailures` in a row an `exchange-error` event goes out (once per streak). When no candle
 * has closed for `staleAfterMs` (2 × timeframe) a `stale-data` event goes out, once until candles
 * flow again; `staleness()` is the same signal as a number.
 */
export function createLiveFeed(o: LiveFeedOptions): LiveFeed {
  const tf = timeframeToMs(o.timeframe);
  const now = o.now ?? Date.now;
  const timers = o.timers ?? realTimers;
  const random = o.random ?? Math.random;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...o.backoff };
  const alertAfter = o.alertAfterFailures ?? 5;
  const pollMs = o.pollIntervalMs ?? Math.min(tf, 10_000);
  const settleMs = o.settleMs ?? 1_500;
  const staleAfter = o.staleAfterMs ?? 2 * tf;
  const maxCatchUp = o.maxCatchUp ?? 1_000;
  const mode = o.watcher ? 'websocket' : 'polling';
  const handlers = new Set<(c: Candles) => void>();

  let running = false;
  let startedAt = 0;
  let last: number | undefined;
  let failures = 0;
  let alerted = false;
  let stale = false;
  let staleTimer: unknown;
  let sleepTimer: unknown;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  /** Websocket candles by open time, merged across updates, until they are emitted. */
  const pending = new Map<number, CandleRow>();

  const dataAge = (): number => now() - Math.max(last === undefined ? -Infinity : last + tf, startedAt);

  const armStaleCheck = (): void => {
    if (staleTimer !== undefined) timers.clearTimeout(staleTimer);
    staleTimer = undefined;
    if (!running || stale) return;
    const wait = Math.max(0, staleAfter - dataAge());
    staleTimer = timers.setTimeout(() => {
      staleTimer = undefined;
      if (!running || stale) return;
      if (dataAge() >= staleAfter) {
        stale = true;
        o.logger?.warn({ symbol: o.symbol, timeframe: o.timeframe, lastCandleTs: last }, 'candle feed is stale');
        o.bus?.publish({ type: 'stale-data', ts: now(), symbol: o.symbol, timeframe: o.timeframe, lastCandleTs: last ?? 0 });
      } else armStaleCheck();
    }, wait);
  };

  /** Hand newly closed candles (ascending, after `last`) to the store and the subscribers. */
  const emit = async (rows: readonly CandleRow[]): Promise<void> => {
    const fresh = rows.filter((r) => last === undefined || r.ts > last);
    if (fresh.length === 0) return;
    const candles = candlesFromRows(fresh);
    last = fresh[fresh.length - 1]!.ts;
    if (stale) o.logger?.info({ symbol: o.symbol, timeframe: o.timeframe }, 'candle feed recovered');
    stale = false;
    armStaleCheck();
    if (o.store) {
      try {
        await o.store.upsert(o.exchange, o.symbol, o.timeframe, candles, { onConflict: 'update' });
      } catch (err) {
        // The feed must keep running on a database hiccup; fetch-data fills the store later.
        o.logger?.warn({ symbol: o.symbol, err: messageOf(err) }, 'could not store live candles');
      }
    }
    for (const h of handlers) {
      try {
        h(candles);
      } catch (err) {
        o.logger?.warn({ symbol: o.symbol, err: messageOf(err) }, 'live candle subscriber failed');
      }
    }
  };

  /** REST: every candle closed after `last` (or just the newest, with no history), page by page. */
  const catchUp = async (): Promise<void> => {
    for (;;) {
      const since = last === undefined ? undefined : last + tf;
      const limit = last === undefined ? 1 : maxCatchUp;
      const page = await o.marketData.fetchCandles(o.symbol, o.timeframe, since, limit);
      const rows = candlesToRows(page).filter((r) => r.ts + tf <= now());
      const before = last;
      await emit(rows);
      if (page.length < limit || since === undefined || !running || last === before) return;
    }
  };

  /** One websocket update: merge it; emit what closed; fetch over REST any hole before it. */
  const watchOnce = async (): Promise<void> => {
    const update = await o.watcher!.watchCandles(o.symbol, o.timeframe);
    for (const r of update) if (last === undefined || r.ts > last) pending.set(r.ts, { ...r });
    if (pending.size === 0) return;
    const newest = Math.max(...pending.keys());
    const closed = [...pending.values()].filter((r) => r.ts < newest).sort((a, b) => a.ts - b.ts);
    if (closed.length === 0) return;
    if (last !== undefined && closed[0]!.ts > last + tf) await catchUp();
    for (const r of closed) pending.delete(r.ts);
    await emit(closed);
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      sleepTimer = timers.setTimeout(() => {
        sleepTimer = undefined;
        wake = undefined;
        resolve();
      }, ms);
    });

  /**
   * Next poll: just after the next candle is due to close (one request per candle); if it is due
   * already but did not come, again every `pollMs`.
   */
  const nextPollDelay = (): number => {
    const nextClose = (last === undefined ? alignTs(now(), tf) : last + tf) + tf;
    const wait = nextClose + settleMs - now();
    return wait > 0 ? wait : pollMs;
  };

  const onFailure = async (err: unknown): Promise<void> => {
    failures++;
    o.logger?.warn({ symbol: o.symbol, timeframe: o.timeframe, failures, err: messageOf(err) }, 'candle feed failed; retrying');
    if (failures >= alertAfter && !alerted) {
      alerted = true;
      o.bus?.publish({
        type: 'exchange-error',
        ts: now(),
        kind: 'candle-feed',
        message: `${o.exchange} ${o.symbol} ${o.timeframe} candle feed (${mode}) failed ${failures} times in a row: ${messageOf(err)}`,
        critical: false,
      });
    }
    if (mode === 'websocket') {
      // The socket is down, REST may not be: keep candles flowing while it reconnects.
      try {
        await catchUp();
      } catch {
        // Counted already; the backoff below applies.
      }
    }
  };

  const run = async (): Promise<void> => {
    if (o.store) {
      try {
        last = await o.store.latestTs(o.exchange, o.symbol, o.timeframe);
      } catch (err) {
        o.logger?.warn({ symbol: o.symbol, err: messageOf(err) }, 'could not read the newest stored candle');
      }
    }
    armStaleCheck();
    let caughtUp = false;
    const succeeded = (): void => {
      if (failures > 0 && alerted) o.logger?.info({ symbol: o.symbol, timeframe: o.timeframe }, 'candle feed reconnected');
      failures = 0;
      alerted = false;
    };
    while (running) {
      try {
        if (mode === 'polling') {
          await catchUp();
          succeeded();
          if (running) await sleep(nextPollDelay());
        } else {
          // REST first (at start and after every drop), then the stream; only a stream update
          // counts as the websocket working again.
          if (!caughtUp) {
            await catchUp();
            caughtUp = true;
          }
          await watchOnce();
          succeeded();
        }
      } catch (err) {
        if (!running) break;
        await onFailure(err);
        caughtUp = false;
        if (running) await sleep(backoffDelay(failures, policy, random));
      }
    }
  };

  return {
    mode,
    start() {
      if (running) return;
      running = true;
      startedAt = now();
      loop = run();
    },
    async stop() {
      running = false;
      if (staleTimer !== undefined) timers.clearTimeout(staleTimer);
      if (sleepTimer !== undefined) timers.clearTimeout(sleepTimer);
      staleTimer = undefined;
      sleepTimer = undefined;
      wake?.();
      wake = undefined;
      // Closing the watcher rejects a pending watch call; the loop then sees `running` is false.
      // It is not awaited: a request that never answers must not hold stop() forever.
      await o.watcher?.close();
      void loop;
    },
    onCandles(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    lastClosedTs: () => last,
    dataAgeMs: () => Math.max(0, dataAge()),
    staleness: () => Math.max(0, dataAge()) / tf,
    isStale: () => stale,
    failures: () => failures,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
