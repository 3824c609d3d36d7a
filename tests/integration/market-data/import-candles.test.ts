import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { CandleStore } from '../../../src/adapters/db/repositories/candles.ts';
import { candlesToRows, type Candles } from '../../../src/domain/candles.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';
import { runImportCandlesCommand } from '../../../src/cli/import-candles.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';
import { testIo } from './cli-io.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/candles');
const fixture = (name: string) => join(FIXTURES, name);
const parseFixture = (name: string): Candles => parseCandleText(readFileSync(fixture(name), 'utf8'), name);

/** Every shared fixture with the timeframe it holds. */
const FORMATS: Array<{ file: string; symbol: string; timeframe: string; format: 'csv' | 'json' }> = [
  { file: 'BTCUSD.csv', symbol: 'BTC/USD', timeframe: '1M', format: 'csv' }, // unnamed date column, month-end dates
  { file: 'EURUSD.csv', symbol: 'EUR/USD', timeframe: '1h', format: 'csv' }, // unnamed datetime column
  { file: 'GOOG.csv', symbol: 'GOOG', timeframe: '1d', format: 'csv' },
  { file: 'btc-perp-20211231-20220201_1m.csv', symbol: 'BTC/USD:USD', timeframe: '1m', format: 'csv' }, // timestamp column, microsecond ISO
  { file: 'freqtrade_BTC-5m_columns.json', symbol: 'BTC/USDT', timeframe: '5m', format: 'json' }, // pandas columns object
  { file: 'freqtrade_UNITTEST_BTC-1m.json', symbol: 'ETH/BTC', timeframe: '1m', format: 'json' }, // [[ms, o, h, l, c, v], …]
];

describe('tradeops import-candles (in-process, PGlite data directory)', () => {
  let dataDir: string;
  let work: string;
  const env = () => ({ DATA_DIR: dataDir, EXCHANGE: 'sim' });
  const run = async (args: string[], options: { tty?: boolean } = {}) => {
    const io = testIo(env(), options);
    const code = await runImportCandlesCommand(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  /** Read back what the database holds (the CLI has closed it: one process per PGlite directory). */
  const stored = async (exchange: string, symbol: string, timeframe: string): Promise<Candles> => {
    const database = await openDatabase({ dataDir });
    try {
      await migrate(database); // a refused file never opens the database: it may not exist yet
      return await new CandleStore(database).load(exchange, symbol, timeframe);
    } finally {
      await database.close();
    }
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tradeops-import-'));
    work = mkdtempSync(join(tmpdir(), 'tradeops-import-files-'));
  });

  it.each(FORMATS)('imports $file ($format, $timeframe) exactly, and a second import changes nothing', async ({ file, symbol, timeframe, format }) => {
    const expected = parseFixture(file);
    const first = await run([fixture(file), '--symbol', symbol, '--timeframe', timeframe]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const n = expected.length.toLocaleString('en-US');
    expect(first.out).toContain(`Imported ${file} (${format}) into sim ${symbol} ${timeframe}`);
    expect(first.out).toContain(`${n} in the file: ${n} inserted, 0 already stored`);
    const back = await stored('sim', symbol, timeframe);
    expect(candlesToRows(back)).toEqual(candlesToRows(expected));

    const second = await run([fixture(file), '--symbol', symbol, '--timeframe', timeframe]);
    expect(second.code).toBe(0);
    expect(second.out).toContain(`${n} in the file: 0 inserted, ${n} already stored`);
    expect(candlesToRows(await stored('sim', symbol, timeframe))).toEqual(candlesToRows(expected));
  });

  it('summarises gaps: freqtrade UNITTEST has 717 missing minutes in 538 gaps, the first ones listed', async () => {
    const r = await run([fixture('freqtrade_UNITTEST_BTC-1m.json'), '--symbol', 'GAPS/BTC', '--timeframe', '1m', '--exchange', 'binance']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/range\s+2017-11-04 23:02 → 2017-11-14 22:59 UTC/);
    expect(r.out).toMatch(/gaps\s+717 missing candles in 538 gaps/);
    expect(r.out).toContain('2017-11-04 23:08 → 2017-11-04 23:13 (6)');
    expect(r.out).toContain('… and 533 more');
    expect((await stored('binance', 'GAPS/BTC', '1m')).length).toBe(13_681);
  });

  it.each([
    { name: 'bad-ohlc.csv', text: 'date,open,high,low,close,volume\n2024-01-01 00:00,1,2,0.5,1.5,10\n2024-01-01 00:01,1,2,0.5,1.5,10\n2024-01-01 00:02,1,0.4,0.5,1.5,10\n', where: 'line 4', reason: /high 0\.4 is below low 0\.5/ },
    { name: 'bad-number.csv', text: 'timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,1.5,10\n1704067260000,1,2,0.5,abc,10\n', where: 'line 3', reason: /column "close" is not a number \("abc"\)/ },
    { name: 'bad-date.csv', text: 'date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-02-30,1,2,0.5,1.5,10\n', where: 'line 3', reason: /unparseable date "2024-02-30"/ },
    { name: 'short-row.json', text: '[[1704067200000,1,2,0.5,1.5,10],[1704067260000,1,2,0.5]]', where: 'index 1', reason: /found 4 values/ },
    { name: 'broken.json', text: '[[1704067200000,1,2,0.5,1.5,10],', where: 'broken.json', reason: /json/i },
  ])('refuses $name with the place and the reason, exit code 2, and imports nothing', async ({ name, text, where, reason }) => {
    const path = join(work, name);
    writeFileSync(path, text);
    const r = await run([path, '--symbol', 'BROKEN/X', '--timeframe', '1m']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: /);
    expect(r.err).toContain(where);
    expect(r.err).toMatch(reason);
    expect((await stored('sim', 'BROKEN/X', '1m')).length).toBe(0);
  });

  it('refuses a big file broken on its last line: nothing of the 45,000 good rows is imported', async () => {
    const path = join(work, 'big-broken.csv');
    const good = readFileSync(fixture('btc-perp-20211231-20220201_1m.csv'), 'utf8').trimEnd();
    const lines = good.split('\n').length;
    writeFileSync(path, `${good}\n2022-02-01 00:00:00.000000,46000,45000,46100,46050,1\n`);
    const r = await run([path, '--symbol', 'BIG/X', '--timeframe', '1m']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`big-broken.csv line ${lines + 1}:`);
    expect(r.err).toMatch(/high 45000 is below/);
    expect((await stored('sim', 'BIG/X', '1m')).length).toBe(0);
  });

  it('refuses a file whose step is not the timeframe, naming both, and imports nothing', async () => {
    const r = await run([fixture('freqtrade_BTC-5m_columns.json'), '--symbol', 'STEP/X', '--timeframe', '1m']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('freqtrade_BTC-5m_columns.json holds 5m candles');
    expect(r.err).toContain('--timeframe is 1m; did you mean --timeframe 5m?');
    const monthly = await run([fixture('BTCUSD.csv'), '--symbol', 'STEP/X', '--timeframe', '1d']);
    expect(monthly.code).toBe(2);
    expect(monthly.err).toContain('did you mean --timeframe 1M?');
    expect((await stored('sim', 'STEP/X', '1m')).length).toBe(0);
  });

  it('refuses bad arguments and a missing file with exit code 2', async () => {
    expect((await run([fixture('GOOG.csv'), '--timeframe', '1d'])).err).toContain('--symbol is required');
    expect((await run([fixture('GOOG.csv'), '--symbol', 'GOOG'])).err).toContain('--timeframe is required');
    const badTf = await run([fixture('GOOG.csv'), '--symbol', 'GOOG', '--timeframe', '1x']);
    expect(badTf.code).toBe(2);
    expect(badTf.err).toContain('timeframe "1x" is not valid');
    const missing = await run([join(work, 'nope.csv'), '--symbol', 'GOOG', '--timeframe', '1d']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.csv not found');
    expect((await run(['--symbol', 'GOOG', '--timeframe', '1d'])).code).toBe(2);
    expect((await run([fixture('GOOG.csv'), '--symbol', 'GOOG', '--timeframe', '1d', '--bogus'])).code).toBe(2);
  });

  it('--replace overwrites changed candles and says how many; without it stored values are kept', async () => {
    const path = join(work, 'replace.csv');
    writeFileSync(path, 'date,open,high,low,close,volume\n2024-01-01 00:00,1,2,0.5,1.5,10\n2024-01-01 00:01,1,2,0.5,1.5,10\n');
    const first = await run([path, '--symbol', 'REPL/X', '--timeframe', '1m']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/stored +2 candles, 2024-01-01 00:00 → 2024-01-01 00:01 UTC/);
    writeFileSync(path, 'date,open,high,low,close,volume\n2024-01-01 00:00,1,2,0.5,1.5,10\n2024-01-01 00:01,1,2,0.5,1.75,10\n2024-01-01 00:02,1,2,0.5,1.5,10\n');
    const kept = await run([path, '--symbol', 'REPL/X', '--timeframe', '1m']);
    expect(kept.out).toContain('3 in the file: 1 inserted, 2 already stored');
    expect(kept.out).toMatch(/stored +3 candles, 2024-01-01 00:00 → 2024-01-01 00:02 UTC/);
    expect((await stored('sim', 'REPL/X', '1m')).close[1]).toBe(1.5);
    const replaced = await run([path, '--symbol', 'REPL/X', '--timeframe', '1m', '--replace']);
    expect(replaced.out).toContain('3 in the file: 0 inserted, 3 already stored (1 updated)');
    expect((await stored('sim', 'REPL/X', '1m')).close[1]).toBe(1.75);
  });

  it('shows a progress bar on a terminal for a big file, and none in a pipe', async () => {
    const tty = await run([fixture('btc-perp-20211231-20220201_1m.csv'), '--symbol', 'TTY/X', '--timeframe', '1m'], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.out).toContain('\r\x1b[2Kimporting btc-perp-20211231-20220201_1m.csv [');
    expect(tty.out).toMatch(/100% · 45,031\/45,031 candles/);
    const pipe = await run([fixture('btc-perp-20211231-20220201_1m.csv'), '--symbol', 'PIPE/X', '--timeframe', '1m']);
    expect(pipe.out).not.toContain('\r');
    expect(pipe.out).not.toContain('importing ');
  });

  it('prints its help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: tradeops import-candles FILE --symbol SYMBOL --timeframe TF');
  });
});

describe.runIf(pgServerUrl())('tradeops import-candles on PostgreSQL', () => {
  let temp: Awaited<ReturnType<typeof createTempDatabase>>;
  beforeAll(async () => {
    temp = await createTempDatabase();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  it('imports through --database-url, idempotently', async () => {
    const io = testIo({ EXCHANGE: 'binance' });
    const args = [fixture('freqtrade_UNITTEST_BTC-1m.json'), '--symbol', 'ETH/BTC', '--timeframe', '1m', '--database-url', temp.url];
    expect(await runImportCandlesCommand(args, io)).toBe(0);
    expect(io.out()).toContain('13,681 inserted');
    expect(io.out()).toContain('— postgres ');
    const again = testIo({ EXCHANGE: 'binance' });
    expect(await runImportCandlesCommand(args, again)).toBe(0);
    expect(again.out()).toContain('0 inserted, 13,681 already stored');
    const database = await openDatabase({ url: temp.url });
    try {
      const back = await new CandleStore(database).load('binance', 'ETH/BTC', '1m');
      expect(candlesToRows(back)).toEqual(candlesToRows(parseFixture('freqtrade_UNITTEST_BTC-1m.json')));
    } finally {
      await database.close();
    }
  });
});
