import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandleFile, readCandleFileDetailed } from '../../../../src/adapters/files/candle-file-reader.ts';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { AppError } from '../../../../src/domain/errors.ts';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';

const fixture = (name: string) => new URL(`../../../fixtures/candles/${name}`, import.meta.url).pathname;
const FILES = [
  'btc-perp-20211231-20220201_1m.csv',
  'freqtrade_UNITTEST_BTC-1m.json',
  'freqtrade_BTC-5m_columns.json',
  'GOOG.csv',
  'EURUSD.csv',
  'BTCUSD.csv',
];

async function rejection(p: Promise<unknown>): Promise<AppError> {
  let result: unknown;
  try {
    result = await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  expect.fail(`expected a refusal, got ${String(result)}`);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tradeops-candles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCandleFile streams to the same result as parsing the whole text', () => {
  it.each(FILES)('%s', async (name) => {
    const fromText = parseCandleText(readFileSync(fixture(name), 'utf8'), name);
    const streamed = await readCandleFile(fixture(name));
    expect(streamed.length).toBe(fromText.length);
    for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(streamed[f]).toEqual(fromText[f]);
    }
  });

  it('with tiny chunks, lines and multi-byte characters split across reads', async () => {
    const path = join(dir, 'tiny-chunks.csv');
    // BOM, CRLF, and 2-, 3- and 4-byte UTF-8 characters in an ignored column: with 1-byte reads every
    // character is split, so this proves the decoder and the line carry-over work together.
    const lines = ['\ufeffdate,Open,High,Low,Close,Volume,Note'];
    for (let i = 0; i < 120; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${i + 1},${i + 3},${i},${i + 2},${i * 0.5},é€😀`);
    await writeFile(path, `${lines.join('\r\n')}\r\n`, 'utf8');
    const expected = candlesToRows(parseCandleText(readFileSync(path, 'utf8'), 'tiny-chunks.csv'));
    expect(expected.length).toBe(120);
    for (const chunkBytes of [1, 3, 7, 100]) {
      const got = await readCandleFileDetailed(path, { chunkBytes });
      expect(candlesToRows(got.candles), `chunkBytes ${chunkBytes}`).toEqual(expected);
      expect(got.format).toBe('csv');
    }
  });

  it('reports format and parse stats', async () => {
    const path = join(dir, 'unsorted.json');
    await writeFile(path, JSON.stringify([[2_000_000_000_000, 1, 2, 0.5, 1, 3], [1_900_000_000_000, 1, 2, 0.5, 1, 3], [2_000_000_000_000, 1, 2, 0.5, 1, 3]]));
    const got = await readCandleFileDetailed(path, { chunkBytes: 5 });
    expect(got.format).toBe('json');
    expect(got.stats).toEqual({ rowsRead: 3, duplicatesDropped: 1, reordered: true });
    expect(Array.from(got.candles.ts)).toEqual([1_900_000_000_000, 2_000_000_000_000]);
  });
});

describe('readCandleFile refusals', () => {
  it('a malformed CSV names the file, line and reason, and returns nothing', async () => {
    const path = join(dir, 'broken.csv');
    const rows = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 2_000; i++) rows.push(`${1_700_000_000 + i * 60},1,2,0.5,1.5,10`);
    rows.push(`${1_700_000_000 + 2_000 * 60},1,2,0.5,1.5,-5`);
    await writeFile(path, rows.join('\n'));
    const err = await rejection(readCandleFile(path, { chunkBytes: 4_096 }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toBe('broken.csv line 2002: volume -5 is negative');
  });

  it('a malformed JSON file names the index', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, JSON.stringify([[1_700_000_000_000, 1, 2, 0.5, 1.5, 1], [1_700_000_060_000, 1, 'x', 0.5, 1.5, 1]]));
    const err = await rejection(readCandleFile(path));
    expect(err.message).toBe('broken.json index 1: column "high" is not a number ("x")');
  });

  it('an empty file is refused', async () => {
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    const err = await rejection(readCandleFile(path));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.details?.reason).toBe('empty_file');
  });

  it('a missing file is NOT_FOUND and a directory BAD_REQUEST', async () => {
    const missing = await rejection(readCandleFile(join(dir, 'nope.csv')));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe('candle file nope.csv not found');
    const folder = await rejection(readCandleFile(dir));
    expect(folder.code).toBe('BAD_REQUEST');
  });

  // Root reads a mode-000 file anyway (CAP_DAC_OVERRIDE), and CI runs as root: there the read runs in a
  // child process started by setpriv without the two capabilities that bypass file permissions — a
  // real permission-denied read, not a simulated one. Anyone else reads in-process.
  it('an unreadable file is FORBIDDEN, also when the tests run as root', async () => {
    const path = join(dir, 'secret.csv');
    await writeFile(path, 'date,open,high,low,close,volume\n');
    await chmod(path, 0o000);
    let got: { code: string; message: string };
    if (process.getuid?.() !== 0) {
      const err = await rejection(readCandleFile(path));
      got = { code: err.code, message: err.message };
    } else {
      const reader = new URL('../../../../src/adapters/files/candle-file-reader.ts', import.meta.url).href;
      const script = `import { readCandleFile } from ${JSON.stringify(reader)};
        try { await readCandleFile(${JSON.stringify(path)}); console.log(JSON.stringify({ code: 'READ', message: 'read it' })); }
        catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
      const drop = '-dac_override,-dac_read_search';
      const r = spawnSync('setpriv', [`--bounding-set=${drop}`, `--inh-caps=${drop}`, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.error, 'running this test as root needs setpriv (util-linux)').toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as typeof got;
    }
    expect(got).toEqual({ code: 'FORBIDDEN', message: 'candle file secret.csv cannot be read (permission denied)' });
  });
});
