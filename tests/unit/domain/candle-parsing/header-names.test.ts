import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

/** Header names: quotes around a name, an unnamed index column, and names that only look alike. */

const T = Date.UTC(2021, 0, 1);
const candle = { ts: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };

describe('CSV header names', () => {
  it('reads a pandas export with every cell quoted, the date index unnamed ("")', () => {
    const text = '"","Open","High","Low","Close","Volume"\n"2021-01-01","1","2","0.5","1.5","10"\n';
    expect(candlesToRows(parseCandleText(text, 'quoted.csv'))).toEqual([candle]);
  });

  it('prefers a named time column over an unnamed first column (a row number)', () => {
    const text = ',date,open,high,low,close,volume\n7,2021-01-01,1,2,0.5,1.5,10\n';
    expect(candlesToRows(parseCandleText(text, 'indexed.csv'))).toEqual([candle]);
  });

  it('strips quotes only when they wrap the whole name: a stray quote on one side leaves an extra column', () => {
    const text = 'date,open,high,low,close,volume,xopen",\"closex,"\n2021-01-01,1,2,0.5,1.5,10,3,4,5\n';
    expect(candlesToRows(parseCandleText(text, 'stray.csv'))).toEqual([candle]);
  });

  it('does not take a lone quote for an unnamed column', () => {
    const err = expectRefusal(() => parseCandleText('",open,high,low,close,volume\n2021-01-01,1,2,0.5,1.5,10\n', 'lone.csv'));
    expect(refusalOf(err)).toEqual({ reason: 'missing_column', where: 'line 1' });
    expect(err.message).toMatch(/^lone\.csv line 1: missing column "time \(date, timestamp, time, open_time or datetime\)"/);
  });
});
