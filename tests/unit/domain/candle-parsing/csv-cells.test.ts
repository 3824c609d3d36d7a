import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

const T = Date.UTC(2021, 0, 1);
const candle = { ts: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };

describe('CSV cells padded with spaces and quotes', () => {
  it('reads values with spaces on either side, bare or around quotes', () => {
    const text = 'date,open,high,low,close,volume\n  2021-01-01 ,  1,2  , "0.5" ,  "1.5"  ,10   \n';
    expect(candlesToRows(parseCandleText(text, 'padded.csv'))).toEqual([candle]);
  });

  it('reads a padded header-less first row as data', () => {
    expect(candlesToRows(parseCandleText(' 1609459200000 , 1 , 2 , 0.5 , 1.5 , 10 \n', 'dump.csv'))).toEqual([candle]);
  });

  it('reads a header-less first row as data when only its columns after the sixth hold words', () => {
    const text = '1609459200000,1,2,0.5,1.5,10,BTCUSDT,spot\n1609545600000,1,2,0.5,1.5,10,BTCUSDT,spot\n';
    expect(candlesToRows(parseCandleText(text, 'dump.csv'))).toEqual([candle, { ...candle, ts: T + 86_400_000 }]);
  });

  it('takes a first line with a time but a word among the five values as a header', () => {
    const err = expectRefusal(() => parseCandleText('2021-01-01,open,high,low,close,volume\n2021-01-02,1,2,0.5,1.5,10\n', 'odd.csv'));
    expect(refusalOf(err)).toEqual({ reason: 'missing_column', where: 'line 1' });
    const err2 = expectRefusal(() => parseCandleText('2021-01-01,1,2,0.5,1.5,vol\n', 'odd.csv'));
    expect(refusalOf(err2).reason).toBe('missing_column');
  });

  it('names the padded cell without its padding when it is refused', () => {
    const err = expectRefusal(() => parseCandleText('date,open,high,low,close,volume\n2021-01-01,  abc  ,2,0.5,1.5,10\n', 'bad.csv'));
    expect(err.message).toBe('bad.csv line 2: column "open" is not a number ("abc")');
  });
});
