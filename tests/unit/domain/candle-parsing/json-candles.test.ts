import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { parseJsonCandles } from '../../../../src/domain/candle-parsing/json-candles.ts';
import { parseCandleTextDetailed } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';

const D1 = Date.UTC(2021, 0, 1);
const D2 = Date.UTC(2021, 0, 2);
const row1 = { ts: D1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
const row2 = { ts: D2, open: 1.5, high: 3, low: 1.25, close: 2.5, volume: 20 };

const parse = (value: unknown) => candlesToRows(parseJsonCandles(JSON.stringify(value), 'x.json').candles);

describe('JSON candle shapes', () => {
  it('reads arrays of [ms, open, high, low, close, volume] (freqtrade, ccxt), extra values ignored', () => {
    expect(parse([[D1, 1, 2, 0.5, 1.5, 10], [D2, 1.5, 3, 1.25, 2.5, 20, 'extra']])).toEqual([row1, row2]);
  });

  it('accepts numeric strings as Binance klines send them, and epoch seconds', () => {
    expect(parse([[D1 / 1000, '1', '2', '0.5', '1.5', '10'], [`${D2}`, '1.5', '3.0', '1.25', '2.5', '20']])).toEqual([row1, row2]);
  });

  it('reads pandas "columns" objects, in any key case and with ISO dates', () => {
    const columns = {
      Date: { 0: '2021-01-01T00:00:00Z', 1: D2 },
      Open: { 0: 1, 1: 1.5 },
      High: { 0: 2, 1: 3 },
      Low: { 0: 0.5, 1: 1.25 },
      Close: { 0: 1.5, 1: 2.5 },
      Volume: { 0: 10, 1: 20 },
    };
    expect(parse(columns)).toEqual([row1, row2]);
  });

  it('reads column arrays ({"date": [...], ...})', () => {
    expect(parse({ date: [D1, D2], open: [1, 1.5], high: [2, 3], low: [0.5, 1.25], close: [1.5, 2.5], volume: [10, 20] })).toEqual([row1, row2]);
  });

  it('reads arrays of objects (pandas "records")', () => {
    expect(
      parse([
        { timestamp: D2, open: 1.5, high: 3, low: 1.25, close: 2.5, volume: 20 },
        { timestamp: D1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, trades: 4 },
      ]),
    ).toEqual([row1, row2]);
  });

  it('sorts and drops exact duplicates as for CSV, and is picked by content, not extension', () => {
    const text = JSON.stringify([[D2, 1.5, 3, 1.25, 2.5, 20], [D1, 1, 2, 0.5, 1.5, 10], [D2, 1.5, 3, 1.25, 2.5, 20]]);
    const parsed = parseCandleTextDetailed(`\n  ${text}`, 'candles.txt');
    expect(parsed.format).toBe('json');
    expect(candlesToRows(parsed.candles)).toEqual([row1, row2]);
    expect(parsed.stats).toEqual({ rowsRead: 3, duplicatesDropped: 1, reordered: true });
  });
});
