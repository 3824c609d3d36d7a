import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { parseCsvCandles } from '../../../../src/domain/candle-parsing/csv-candles.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

/** Quotes around cells, the header-or-data decision on the first line, and the delimiter choice. */

const T = Date.UTC(2021, 0, 1);
const candle = { ts: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
const HEADER = 'date,open,high,low,close,volume';
const rows = (text: string) => candlesToRows(parseCsvCandles(text, 'q.csv').candles);

describe('quotes around a cell', () => {
  it('strips a pair of quotes only when they wrap the whole cell', () => {
    for (const [cell, shown] of [['"1.5', '"\\"1.5"'], ['1.5"', '"1.5\\""'], ['"', '"\\""']] as const) {
      const err = expectRefusal(() => parseCsvCandles(`${HEADER}\n2021-01-01,1,2,0.5,${cell},10\n`, 'q.csv'));
      expect(err.message, cell).toBe(`q.csv line 2: column "close" is not a number (${shown})`);
    }
    const time = expectRefusal(() => parseCsvCandles(`${HEADER}\n"2021-01-01,1,2,0.5,1.5,10\n`, 'q.csv'));
    expect(refusalOf(time)).toEqual({ reason: 'bad_date', where: 'line 2' });
  });
});

describe('a first line that is data, not a header', () => {
  it('reads a header-less first row with every cell quoted as data', () => {
    expect(rows('"1609459200000","1","2","0.5","1.5","10"\n')).toEqual([candle]);
  });

  it('takes a first line as a header when its time has a quote on one side only', () => {
    for (const time of ['"1609459200000', '1609459200000"']) {
      const err = expectRefusal(() => parseCsvCandles(`${time},1,2,0.5,1.5,10\n`, 'q.csv'));
      expect(refusalOf(err), time).toEqual({ reason: 'missing_column', where: 'line 1' });
    }
  });

  it('takes a first line of five columns, or a word followed by five numbers, as a header', () => {
    for (const first of ['1609459200000,1,2,0.5,1.5', 'pair,1,2,0.5,1.5,10']) {
      const err = expectRefusal(() => parseCsvCandles(`${first}\n1609545600000,1,2,0.5,1.5,10\n`, 'q.csv'));
      expect(refusalOf(err), first).toEqual({ reason: 'missing_column', where: 'line 1' });
    }
  });
});

describe('the delimiter: whichever of , ; tab the first line holds most', () => {
  it('splits on commas when a column name holds a semicolon or a tab', () => {
    expect(rows(`${HEADER},note (a; b)\n2021-01-01,1,2,0.5,1.5,10,x\n`)).toEqual([candle]);
    expect(rows(`${HEADER},a\tb\n2021-01-01,1,2,0.5,1.5,10,x\n`)).toEqual([candle]);
  });

  it('splits on semicolons when a column name holds a tab, and on tabs when one holds a semicolon', () => {
    expect(rows('date;open;high;low;close;volume;a\tb\n2021-01-01;1;2;0.5;1.5;10;x\n')).toEqual([candle]);
    expect(rows('date\topen\thigh\tlow\tclose\tvolume\ta;b\n2021-01-01\t1\t2\t0.5\t1.5\t10\tx\n')).toEqual([candle]);
  });
});
