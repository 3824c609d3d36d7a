import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { CsvCandleParser, MAX_LINE_CHARS, parseCsvCandles } from '../../../../src/domain/candle-parsing/csv-candles.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

/**
 * Lines as the streaming reader sees them: split across reads at any byte, long, blank, or missing.
 * (What a cell holds: csv-cells.test.ts and cell-refusals.test.ts.)
 */

const HEADER = 'date,open,high,low,close,volume';
const candle = { ts: Date.UTC(2021, 0, 1), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };

/** Feed `text` to a parser `size` bytes at a time, then end it. */
function inChunks(text: string, size: number, file = 'x.csv') {
  const bytes = new TextEncoder().encode(text);
  const p = new CsvCandleParser(file);
  for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
  return p.end();
}

const tooLong = (line: number): string => `x.csv line ${line}: line is longer than ${MAX_LINE_CHARS} bytes — not a candle CSV`;

describe('lines split across reads', () => {
  it('keeps a line longer than the carry buffer whole when it arrives in small pieces', () => {
    // 600 bytes of padding: the carry buffer (256 bytes at first) has to grow while the line is half read.
    const text = `${HEADER}\n2021-01-01,${' '.repeat(300)}1,2,0.5,1.5,10${' '.repeat(300)}\n2021-01-02,1,2,0.5,1.5,10\n`;
    for (const size of [1, 7, 100, 255, 256, 257]) {
      const rows = candlesToRows(inChunks(text, size).candles);
      expect(rows, `chunk ${size}`).toEqual([candle, { ...candle, ts: Date.UTC(2021, 0, 2) }]);
    }
  });

  it('names the right line of a bad cell whatever the chunk size', () => {
    const text = `\ufeff\n \t\n${HEADER}\r\n2021-01-01,1,2,0.5,1.5,10\r\n\t \r\n2021-01-02,1,2,0.5,x,10\r\n`;
    for (const size of [1, 2, 3, 5, 8, 13, 64, 1_000]) {
      const err = expectRefusal(() => inChunks(text, size));
      expect(err.message, `chunk ${size}`).toBe('x.csv line 6: column "close" is not a number ("x")');
    }
  });

  it('reads a last line without a newline, also when it arrives alone', () => {
    const text = `${HEADER}\n2021-01-01,1,2,0.5,1.5,10`;
    expect(candlesToRows(inChunks(text, 3).candles)).toEqual([candle]);
    const p = new CsvCandleParser('x.csv');
    p.push(`${HEADER}\n`);
    p.push('2021-01-01,1,2,0.5,1.5,10');
    expect(candlesToRows(p.end().candles)).toEqual([candle]);
  });
});

describe('the line length limit (MAX_LINE_CHARS bytes)', () => {
  /** Line 3 of exactly `bytes` bytes: a good row padded with spaces (cells are trimmed). */
  const withLine3 = (bytes: number): string => {
    const row = '2021-01-02,1,2,0.5,1.5,10';
    return `${HEADER}\n2021-01-01,1,2,0.5,1.5,10\n${row}${' '.repeat(bytes - row.length)}\n`;
  };

  it('accepts a line of exactly the limit, whole or in pieces', () => {
    expect(parseCsvCandles(withLine3(MAX_LINE_CHARS), 'x.csv').candles.length).toBe(2);
    expect(inChunks(withLine3(MAX_LINE_CHARS), 65_536).candles.length).toBe(2);
  });

  it('refuses a line one byte over, naming it, whole or in pieces', () => {
    const whole = expectRefusal(() => parseCsvCandles(withLine3(MAX_LINE_CHARS + 1), 'x.csv'));
    expect([whole.message, refusalOf(whole)]).toEqual([tooLong(3), { reason: 'line_too_long', where: 'line 3' }]);
    const pieces = expectRefusal(() => inChunks(withLine3(MAX_LINE_CHARS + 1), 65_536));
    expect([pieces.message, refusalOf(pieces)]).toEqual([tooLong(3), { reason: 'line_too_long', where: 'line 3' }]);
  });

  it('refuses a file that is one endless line while it is read, as soon as the limit is passed', () => {
    const p = new CsvCandleParser('x.csv');
    const piece = new Uint8Array(65_536).fill(0x39);
    let pushed = 0;
    const err = expectRefusal(() => {
      for (; pushed < 100; pushed++) p.push(piece); // 6.5 MiB, never ended: the refusal must come from push
    });
    expect(err.message).toBe(tooLong(1));
    expect(pushed).toBe(16); // the 17th piece takes the line past 1 MiB
  });
});

describe('blank lines and empty files', () => {
  it('skips lines of spaces and tabs before the header and between rows', () => {
    const text = `\t\n  \n\t \t\n${HEADER}\n\t\n2021-01-01,1,2,0.5,1.5,10\n \t \n\t\n`;
    expect(candlesToRows(parseCsvCandles(text, 'x.csv').candles)).toEqual([candle]);
    // In pieces, each line passes through the carry buffer, where a longer earlier line leaves spaces behind it.
    const stale = `        \n  \n${HEADER}\n2021-01-01,1,2,0.5,1.5,10\n            \n \n2021-01-02,1,2,0.5,1.5,10\n`;
    for (const size of [1, 3]) expect(inChunks(stale, size).candles.length, `chunk ${size}`).toBe(2);
  });

  it('skips a line holding only the byte-order mark before the header', () => {
    expect(candlesToRows(parseCsvCandles(`\ufeff\n${HEADER}\n2021-01-01,1,2,0.5,1.5,10\n`, 'x.csv').candles)).toEqual([candle]);
  });

  it('skips only the byte-order mark itself, not a first character whose UTF-8 bytes look like it', () => {
    // U+0EFF, U+F03F and U+FEE0 encode as E0 BB BF, EF 80 BF and EF BB A0: each differs from the mark (EF BB BF) in one byte.
    for (const c of ['\u0EFF', '\uF03F', '\uFEE0']) {
      const err = expectRefusal(() => parseCsvCandles(`${c}${HEADER}\n2021-01-01,1,2,0.5,1.5,10\n`, 'x.csv'));
      expect(refusalOf(err), c).toEqual({ reason: 'missing_column', where: 'line 1' });
    }
  });

  it('refuses a file of blank lines as empty, and a header alone as having no rows', () => {
    for (const text of ['', '\n\n', ' \t \r\n\t\n']) {
      const err = expectRefusal(() => parseCsvCandles(text, 'e.csv'));
      expect([err.message, refusalOf(err)], JSON.stringify(text)).toEqual(['e.csv: the file is empty', { reason: 'empty_file', where: '' }]);
    }
    const headerOnly = expectRefusal(() => parseCsvCandles(`${HEADER}\n\n`, 'h.csv'));
    expect(headerOnly.message).toBe('h.csv: no candle rows (the file is empty or has only a header)');
  });
});

describe('header refusals, word for word', () => {
  it('a missing column lists the header as found, trimmed', () => {
    const err = expectRefusal(() => parseCsvCandles(' date , open,high ,low,volume\n2021-01-01,1,2,0.5,10\n', 'h.csv'));
    expect(err.message).toBe('h.csv line 1: missing column "close" (header: "date, open, high, low, volume")');
  });

  it('a column named twice', () => {
    const err = expectRefusal(() => parseCsvCandles('\n\ndate,open,high,low,close,Close,volume\n', 'h.csv'));
    expect(err.message).toBe('h.csv line 3: column "close" appears twice in the header');
    expect(refusalOf(err)).toEqual({ reason: 'duplicate_column', where: 'line 3' });
  });
});
