/**
 * The live feed on real parts: ccxt.pro `watchOHLCV` (through src/adapters/exchange/ccxt-watch.ts)
 * against a local Binance kline websocket, the ccxt REST adapter against the local Binance exchange,
 * and the candle store on each database.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/client.ts';
import { CandleStore } from '../../../src/adapters/db/repositories/candles.ts';
import { createCcxtExchange, type CcxtExchange } from '../../../src/adapters/exchange/ccxt-exchange.ts';
import { createCcxtCandleWatcher } from '../../../src/adapters/exchange/ccxt-watch.ts';
import { candlesToRows, type CandleRow } from '../../../src/domain/candles.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { alignTs } from '../../../src/domain/timeframe.ts';
import type { CandleWatcher } from '../../../src/market-data/candle-watcher.ts';
import { createLiveFeed, type LiveFeed } from '../../../src/market-data/live-feed.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { databaseTargets } from '../../support/databases.ts';
import { start, type LocalExchange } from '../../support/local-exchange/index.ts';
import { startKlineServer, type KlineServer } from './ws-kline-server.ts';

const MIN = 60_000;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ccxt websocket candle watcher', () => {
  it('is not built when only REST is redirected (no sockets to the real venue)', async () => {
    expect(await createCcxtCandleWatcher({ exchangeId: 'binance', marketType: 'spot', sandbox: false, baseUrl: 'http://127.0.0.1:9' })).toBeUndefined();
  });
});

describe.each(databaseTargets())('live feed over ccxt websockets and REST, candles stored on $name', (target) => {
  let database: Database;
  let local: LocalExchange;
  let ws: KlineServer;
  let adapter: CcxtExchange;
  let watcher: CandleWatcher;
  let feed: LiveFeed | undefined;
  beforeEach(async () => {
    database = await target.open();
    local = await start({ historyCandles: 50 });
    // The venue's clock 5 s into a minute: no candle closes by itself while the test runs.
    const real = Date.now();
    local.state.timeOffsetMs = alignTs(real, MIN) + 5_000 - real;
    ws = await startKlineServer();
    adapter = await createCcxtExchange({ exchangeId: 'binance', marketType: 'spot', sandbox: false, baseUrl: local.url, maxLeverage: 1, logger: pino({ level: 'silent' }), enableRateLimit: false, retry: { sleep: async () => {} } });
    watcher = (await createCcxtCandleWatcher({ exchangeId: 'binance', marketType: 'spot', sandbox: false, baseUrl: local.url, wsBaseUrl: ws.url }))!;
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await adapter.close();
    await ws.close();
    await local.close();
  });
  afterAll(() => target.cleanup());

  it('emits and stores closed candles from the stream, reconnects after a drop, and alerts when the venue stays away', async () => {
    const store = new CandleStore(database);
    const events: DomainEvent[] = [];
    const received: CandleRow[] = [];
    feed = createLiveFeed({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      marketData: adapter,
      watcher,
      store,
      bus: { publish: (e) => events.push(e) },
      now: () => local.state.now(),
      backoff: { initialMs: 20, maxMs: 100 },
      alertAfterFailures: 3,
    });
    expect(feed.mode).toBe('websocket');
    feed.onCandles((c) => received.push(...candlesToRows(c)));
    feed.start();

    const forming = alignTs(local.state.now(), MIN);
    // REST catch-up first: the newest closed candle.
    await until(() => feed!.lastClosedTs() === forming - MIN, 'the REST catch-up');
    await ws.waitForSubscriptions(1);
    expect(ws.subscriptions[0]).toBe('btcusdt@kline_1m');

    const a: CandleRow = { ts: forming, open: 50_000, high: 50_100.5, low: 49_900.25, close: 50_050.75, volume: 12.5 };
    ws.pushKline('BTCUSDT', '1m', MIN, { ...a, close: 50_010, volume: 3 }, false);
    ws.pushKline('BTCUSDT', '1m', MIN, a, true);
    ws.pushKline('BTCUSDT', '1m', MIN, { ts: forming + MIN, open: 50_050.75, high: 50_060, low: 50_040, close: 50_055, volume: 0.5 }, false);
    await until(() => feed!.lastClosedTs() === forming, 'the streamed candle');
    expect(received.at(-1)).toEqual(a);
    expect(candlesToRows(await store.load('binance', 'BTC/USDT', '1m', forming, forming + MIN))).toEqual([a]);

    // The socket drops: the next watch fails, the feed backs off and subscribes again.
    ws.dropAll();
    await ws.waitForSubscriptions(2);
    expect(ws.connections()).toBe(2);
    const b: CandleRow = { ts: forming + MIN, open: 50_050.75, high: 50_070, low: 50_040, close: 50_066, volume: 1.25 };
    ws.pushKline('BTCUSDT', '1m', MIN, b, true);
    ws.pushKline('BTCUSDT', '1m', MIN, { ts: forming + 2 * MIN, open: 50_066, high: 50_066, low: 50_066, close: 50_066, volume: 0.01 }, false);
    await until(() => feed!.lastClosedTs() === forming + MIN, 'the candle after the reconnect');
    expect(received.slice(-2)).toEqual([a, b]);
    expect(feed.failures()).toBe(0);
    expect(events).toEqual([]);

    // The websocket endpoint goes away for good: reconnects fail, one exchange-error event.
    await ws.close();
    await until(() => events.some((e) => e.type === 'exchange-error'), 'the exchange-error event');
    const alert = events.find((e) => e.type === 'exchange-error') as Extract<DomainEvent, { type: 'exchange-error' }>;
    expect(alert.message).toMatch(/^binance BTC\/USDT 1m candle feed \(websocket\) failed 3 times in a row: binance watchOHLCV BTC\/USDT 1m: /);
    expect(alert.message).not.toContain(local.url);
    // Every candle once, in order.
    const ts = received.map((r) => r.ts);
    expect(ts).toEqual([...new Set(ts)].sort((x, y) => x - y));
  });

  it('turns ccxt failures into retryable ExecutionErrors', async () => {
    const pending = watcher.watchCandles('BTC/USDT', '1m');
    await ws.waitForSubscriptions(1);
    ws.dropAll();
    const err = await pending.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).kind).toBe('retryable');
    await watcher.close();
  });
});
