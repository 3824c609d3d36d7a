import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { CandleStore } from '../../../src/adapters/db/repositories/candles.ts';
import { createCcxtExchange } from '../../../src/adapters/exchange/ccxt-exchange.ts';
import { runFetchDataCommand } from '../../../src/cli/fetch-data.ts';
import { candlesToRows } from '../../../src/domain/candles.ts';
import { fetchMissingCandles } from '../../../src/market-data/fetch-candles.ts';
import { databaseTargets } from '../../support/databases.ts';
import { binanceError, start, type LocalExchange } from '../../support/local-exchange/index.ts';
import { knownSeries, MIN, SeriesVenue } from '../../unit/market-data/doubles.ts';
import { testIo } from './cli-io.ts';

const T0 = Date.UTC(2024, 0, 1);

describe.each(databaseTargets())('fetchMissingCandles into the candle store on $name', (target) => {
  let database: Database;
  beforeEach(async () => {
    database = await target.open();
  });
  afterAll(() => target.cleanup());

  it('paginates, survives a failure mid-way, and a rerun completes the series with no duplicates and no holes', async () => {
    const series = knownSeries(6_000, T0, MIN, new Set([T0 + 100 * MIN, T0 + 4_321 * MIN]));
    const now = T0 + 6_000 * MIN + 1_000;
    const venue = new SeriesVenue(series, () => now);
    venue.failOn.add(5);
    const store = new CandleStore(database);
    const req = { marketData: venue, store, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', since: T0, now: () => now, pageLimit: 700 };
    await expect(fetchMissingCandles(req)).rejects.toThrow('call 5');
    const partial = (await store.range('binance', 'BTC/USDT', '1m'))!;
    expect(partial.count).toBe(4 * 700);
    const r = await fetchMissingCandles(req);
    expect(venue.calls[5]!.since).toBe(partial.last + MIN);
    expect(r.inserted).toBe(series.length - 4 * 700);
    const stored = await store.load('binance', 'BTC/USDT', '1m');
    expect(candlesToRows(stored)).toEqual(candlesToRows(series));
    expect(await store.gaps('binance', 'BTC/USDT', '1m', MIN)).toEqual({ missing: 2, gaps: [{ from: T0 + 100 * MIN, to: T0 + 100 * MIN, missing: 1 }, { from: T0 + 4_321 * MIN, to: T0 + 4_321 * MIN, missing: 1 }] });
    // Running again fetches nothing and changes nothing.
    const calls = venue.calls.length;
    expect((await fetchMissingCandles(req)).segments).toEqual([]);
    expect(venue.calls.length).toBe(calls);
  });
});

async function load(dataDir: string, exchange: string, symbol: string, timeframe: string) {
  const database = await openDatabase({ dataDir });
  try {
    const store = new CandleStore(database);
    return { candles: await store.load(exchange, symbol, timeframe), gaps: await store.gaps(exchange, symbol, timeframe, 60_000) };
  } finally {
    await database.close();
  }
}

describe('tradeops fetch-data with EXCHANGE=sim (in-process)', () => {
  it('downloads the sim’s history in pages with a summary, then is up to date', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-fetch-sim-'));
    const env = { DATA_DIR: dataDir, EXCHANGE: 'sim', SIM_SPEED: '0.01' };
    const io = testIo(env);
    const code = await runFetchDataCommand(['--symbol', 'BTC/USDT', '--timeframe', '1m'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^Fetched sim BTC\/USDT 1m: 2[01] pages in /);
    expect(io.out()).toMatch(/new\s+20,000 candles stored, 0 updated, 0 already there/);
    expect(io.out()).toMatch(/candles\s+20,000 stored/);
    expect(io.out()).toMatch(/gaps\s+none/);
    const first = await load(dataDir, 'sim', 'BTC/USDT', '1m');
    expect(first.candles.length).toBe(20_000);
    expect(first.gaps.missing).toBe(0);

    const again = testIo(env);
    expect(await runFetchDataCommand(['--symbol', 'BTC/USDT', '--timeframe', '1m'], again)).toBe(0);
    // A new sim is built per run; at most the minute that closed between the two runs is new.
    expect(again.out()).toMatch(/^(Up to date: sim BTC\/USDT 1m — nothing to fetch|Fetched sim BTC\/USDT 1m: 1 page)/);
    const second = await load(dataDir, 'sim', 'BTC/USDT', '1m');
    expect(second.candles.length - first.candles.length).toBeLessThanOrEqual(1);
    expect(second.gaps.missing).toBe(0);
  });

  it('draws a progress bar on a terminal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-fetch-tty-'));
    const io = testIo({ DATA_DIR: dataDir, EXCHANGE: 'sim', SIM_SPEED: '0.01' }, { tty: true });
    expect(await runFetchDataCommand(['--symbol', 'ETH/USDT', '--timeframe', '5m', '--since', '20d', '--page-size', '500'], io)).toBe(0);
    expect(io.out()).toContain('\r\x1b[2Kfetching sim ETH/USDT 5m [');
    // 20 days of 5m candles: 5,760 slots, one fewer when "now" is inside a candle.
    expect(io.out()).toMatch(/100% · (5,759\/5,759|5,760\/5,760) candles/);
    expect(io.out()).toMatch(/new\s+5,7(59|60) candles stored/);
  });

  it('refuses bad arguments with exit code 2', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'tradeops-fetch-args-')), EXCHANGE: 'sim' };
    const cases: Array<[string[], RegExp]> = [
      [['--timeframe', '1m'], /--symbol is required/],
      [['--symbol', 'BTC/USDT'], /--timeframe is required/],
      [['--symbol', 'BTC/USDT', '--timeframe', '7q'], /timeframe "7q" is not valid/],
      [['--symbol', 'BTC/USDT', '--timeframe', '1m', '--since', 'yesterday'], /--since "yesterday" is not a date/],
      [['--symbol', 'BTC/USDT', '--timeframe', '1m', '--since', '2024-02-01', '--until', '2024-01-01'], /--until .* must be after --since/],
      [['--symbol', 'BTC/USDT', '--timeframe', '1m', '--page-size', '0'], /--page-size must be a whole number/],
      [['--symbol', 'BTC/USDT', '--timeframe', '1m', '--exchange', 'NOT AN ID'], /EXCHANGE/],
    ];
    for (const [args, message] of cases) {
      const io = testIo(env);
      expect(await runFetchDataCommand(args, io), args.join(' ')).toBe(2);
      expect(io.err()).toMatch(message);
    }
    const help = testIo(env);
    expect(await runFetchDataCommand(['--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: tradeops fetch-data');
  });
});

describe('tradeops fetch-data through ccxt against the local Binance exchange (EXCHANGE_URL)', () => {
  let local: LocalExchange;
  let dataDir: string;
  beforeEach(async () => {
    local = await start({ historyCandles: 2_500 });
    dataDir = mkdtempSync(join(tmpdir(), 'tradeops-fetch-ccxt-'));
  });
  afterEach(async () => {
    await local.close();
  });
  const env = () => ({ DATA_DIR: dataDir, EXCHANGE: 'binance', EXCHANGE_URL: local.url });

  it('paginates, stops on a failure keeping what it stored, and a rerun completes without duplicates or holes', async () => {
    // Two klines calls are served, the third fails (a 400 is never retried by the adapter).
    local.faults.add('GET /api/v3/klines', { delayMs: 0 }, 2).add('GET /api/v3/klines', { status: 400, body: binanceError(-1100, 'Illegal characters found in parameter.') });
    const args = ['--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1m', '--page-size', '500'];
    const failed = testIo(env());
    expect(await runFetchDataCommand(args, failed)).toBe(1);
    expect(failed.err()).toContain('1,000 candles were stored before the failure; run the same command again to continue.');
    expect((await load(dataDir, 'binance', 'BTC/USDT', '1m')).candles.length).toBe(1_000);

    const rerun = testIo(env());
    expect(await runFetchDataCommand(args, rerun)).toBe(0);
    expect(rerun.out()).toMatch(/^Fetched binance BTC\/USDT 1m: \d+ pages/);
    expect(rerun.out()).toMatch(/gaps\s+none/);
    const klineCalls = local.requests.filter((r) => r.path === '/api/v3/klines');
    // The rerun's first request starts right after the last stored candle.
    const stored = await load(dataDir, 'binance', 'BTC/USDT', '1m');
    expect(Number(klineCalls[3]!.params.startTime)).toBe(stored.candles.ts[999]! + MIN);
    expect(stored.gaps.missing).toBe(0);
    const n = stored.candles.length;
    expect(n).toBeGreaterThanOrEqual(2_499);
    expect((stored.candles.ts[n - 1]! - stored.candles.ts[0]!) / MIN + 1).toBe(n); // contiguous, each once

    // Values are the venue's, exactly as the adapter serves them.
    const adapter = await createCcxtExchange({ exchangeId: 'binance', marketType: 'spot', sandbox: false, baseUrl: local.url, maxLeverage: 1, logger: pino({ level: 'silent' }), enableRateLimit: false });
    try {
      const direct = await adapter.fetchCandles('BTC/USDT', '1m', stored.candles.ts[0], n);
      expect(candlesToRows(stored.candles)).toEqual(candlesToRows(direct).slice(0, n));
    } finally {
      await adapter.close();
    }
  });

  it('says which symbols exist when the symbol is unknown (exit code 2)', async () => {
    const io = testIo(env());
    expect(await runFetchDataCommand(['--symbol', 'BTC/XYZ', '--timeframe', '1m'], io)).toBe(2);
    expect(io.err()).toMatch(/binance \(spot\) has no market BTC\/XYZ; listed: BTC\/USDT/);
  });
});
