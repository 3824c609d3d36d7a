import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { CsvCandleParser, MAX_LINE_CHARS, parseCsvCandles } from '../../../../src/domain/candle-parsing/csv-candles.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';
import { parseCandleText, parseCandleTextDetailed } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';

const D1 = Date.UTC(2021, 0, 1);
const D2 = Date.UTC(2021, 0, 2);
const D3 = Date.UTC(2021, 0, 3);
const row1 = { ts: D1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
const row2 = { ts: D2, open: 1.5, high: 3, low: 1.25, close: 2.5, volume: 20 };
const row3 = { ts: D3, open: 2.5, high: 2.75, low: 2, close: 2.25, volume: 0 };

describe('CSV headers', () => {
  it.each([
    ['timestamp', 'timestamp,open,high,low,close,volume'],
    ['Open_Time (Binance)', 'Open_Time,Open,High,Low,Close,Volume'],
    ['DATE upper case', 'DATE,OPEN,HIGH,LOW,CLOSE,VOLUME'],
    ['datetime', 'Datetime,open,high,low,close,volume'],
    ['time', 'time,open,high,low,close,volume'],
    ['unnamed first column (backtesting.py)', ',Open,High,Low,Close,Volume'],
    ['pandas re-saved index', 'Unnamed: 0,Open,High,Low,Close,Volume'],
    ['quoted names and spaces', '"date", "open", "high", "low", "close", "volume"'],
  ])('reads the time column from a %s header', (_label, header) => {
    const text = `${header}\n2021-01-01,1,2,0.5,1.5,10\n2021-01-02,1.5,3,1.25,2.5,20\n`;
    expect(candlesToRows(parseCsvCandles(text, 'x.csv').candles)).toEqual([row1, row2]);
  });

  it('finds columns in any order and ignores extra ones', () => {
    const text = 'close,volume,trades,high,Date,low,open\n1.5,10,99,2,2021-01-01,0.5,1\n';
    expect(candlesToRows(parseCsvCandles(text, 'x.csv').candles)).toEqual([row1]);
  });

  it('accepts ; and tab delimiters, CRLF line ends, a BOM, quotes and blank lines', () => {
    const semi = '\ufeffdate;open;high;low;close;volume\r\n2021-01-01;1;2;0.5;1.5;10\r\n\r\n2021-01-02;1.5;3;1.25;2.5;20\r\n';
    const tab = 'date\topen\thigh\tlow\tclose\tvolume\n"2021-01-01"\t"1"\t2\t0.5\t1.5\t10\n  \n2021-01-02\t1.5\t3\t1.25\t2.5\t20';
    expect(candlesToRows(parseCsvCandles(semi, 'x.csv').candles)).toEqual([row1, row2]);
    expect(candlesToRows(parseCsvCandles(tab, 'x.tsv').candles)).toEqual([row1, row2]);
  });

  it('reads a header-less file (exchange dump) as time, open, high, low, close, volume, …', () => {
    const text = `${D1},1,2,0.5,1.5,10,${D1 + 86_399_999},15.2,7\n${D2},1.5,3,1.25,2.5,20,${D2 + 86_399_999},50,9\n`;
    expect(candlesToRows(parseCsvCandles(text, 'BTCUSDT-1d.csv').candles)).toEqual([row1, row2]);
  });
});

describe('CSV times', () => {
  it('detects epoch seconds, milliseconds and microseconds per value', () => {
    const s = D1 / 1000;
    const text = `time,open,high,low,close,volume\n${s},1,2,0.5,1.5,10\n${D2},1.5,3,1.25,2.5,20\n${D3 * 1000},2.5,2.75,2,2.25,0\n`;
    expect(Array.from(parseCsvCandles(text, 'x.csv').candles.ts)).toEqual([D1, D2, D3]);
  });

  it('reads ISO times with T, fractions, Z and offsets, no zone meaning UTC', () => {
    const text = [
      'timestamp,open,high,low,close,volume',
      '2021-01-01 00:00:00.000000,1,2,0.5,1.5,10',
      '2021-01-02T02:00:00+02:00,1.5,3,1.25,2.5,20',
      '2021-01-03T00:00:00.000Z,2.5,2.75,2,2.25,0',
    ].join('\n');
    expect(Array.from(parseCsvCandles(text, 'x.csv').candles.ts)).toEqual([D1, D2, D3]);
  });
});

describe('CSV ordering and duplicates', () => {
  it('sorts out-of-order rows and drops exact duplicate rows', () => {
    const text = 'date,open,high,low,close,volume\n2021-01-03,2.5,2.75,2,2.25,0\n2021-01-01,1,2,0.5,1.5,10\n2021-01-02,1.5,3,1.25,2.5,20\n2021-01-01,1,2,0.5,1.5,10\n';
    const parsed = parseCandleTextDetailed(text, 'x.csv');
    expect(candlesToRows(parsed.candles)).toEqual([row1, row2, row3]);
    expect(parsed.stats).toEqual({ rowsRead: 4, duplicatesDropped: 1, reordered: true });
    expect(parsed.format).toBe('csv');
    expect(parsed.candles.ts.length).toBe(3); // exact-length columns, no spare capacity
  });

  it('keeps the series untouched when it is already ascending', () => {
    const text = 'date,open,high,low,close,volume\n2021-01-01,1,2,0.5,1.5,10\n2021-01-02,1.5,3,1.25,2.5,20\n';
    expect(parseCandleTextDetailed(text, 'x.csv').stats).toEqual({ rowsRead: 2, duplicatesDropped: 0, reordered: false });
  });
});

describe('CsvCandleParser in chunks', () => {
  it('gives the same result whatever the chunk size, with lines split across chunks', () => {
    const lines = ['\ufeffDate,Open,High,Low,Close,Volume'];
    for (let i = 0; i < 500; i++) {
      const o = 100 + (i % 17);
      lines.push(`${new Date(D1 + i * 60_000).toISOString()},${o},${o + 2.5},${o - 1.25},${o + 0.5},${i * 3}`);
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const whole = parseCandleText(text, 'x.csv');
    expect(whole.length).toBe(500);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const p = new CsvCandleParser('x.csv');
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
      const chunked = p.end().candles;
      expect(candlesToRows(chunked), `chunk ${size}`).toEqual(candlesToRows(whole));
    }
  });
});

describe('CsvCandleParser over bytes', () => {
  const text = '\ufeffdate,open,high,low,close,volume\r\n2021-01-01,1,2,0.5,1.5,10\r\n\r\n2021-01-02,1.5,3,1.25,2.5,20';

  it('bytes in any split give what the text gives (the parser keeps no chunk after push)', () => {
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 5, 13, bytes.length]) {
      const p = new CsvCandleParser('x.csv');
      const reused = new Uint8Array(size);
      for (let i = 0; i < bytes.length; i += size) {
        const piece = bytes.subarray(i, i + size);
        reused.set(piece);
        p.push(reused.subarray(0, piece.length));
        reused.fill(0x39); // the caller reuses its read buffer: the parser must not hold on to it
      }
      expect(candlesToRows(p.end().candles), `chunk ${size}`).toEqual([row1, row2]);
    }
  });

  it('refuses a line longer than MAX_LINE_CHARS bytes, naming the line, whether it arrives whole or in pieces', () => {
    const long = `date,open,high,low,close,volume\n2021-01-01,1,2,0.5,1.5,10\n${'9'.repeat(MAX_LINE_CHARS + 10)}\n`;
    const whole = expectRefusal(() => parseCsvCandles(long, 'x.csv'));
    expect(refusalOf(whole)).toEqual({ reason: 'line_too_long', where: 'line 3' });
    const p = new CsvCandleParser('x.csv');
    const pieces = expectRefusal(() => {
      for (let i = 0; i < long.length; i += 65_536) p.push(long.slice(i, i + 65_536));
      return p.end();
    });
    expect(refusalOf(pieces)).toEqual({ reason: 'line_too_long', where: 'line 3' });
  });

  it('names the line of a bad cell after blank lines and a byte-order mark', () => {
    const err = expectRefusal(() => parseCsvCandles(`${text}\n2021-01-03,1,x,0.5,1.5,10\n`, 'x.csv'));
    expect(refusalOf(err)).toEqual({ reason: 'not_a_number', where: 'line 5' });
    expect(err.message).toBe('x.csv line 5: column "high" is not a number ("x")');
  });
});
