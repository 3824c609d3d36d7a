import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { candleAt } from '../../../../src/domain/candles.ts';
import { parseCandleTextDetailed } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';

const FIXTURES = new URL('../../../fixtures/candles/', import.meta.url);
const load = (name: string) => parseCandleTextDetailed(readFileSync(new URL(name, FIXTURES), 'utf8'), name);

/** Expected values are copied by hand from the first and last data rows of each file. */
const cases = [
  {
    file: 'btc-perp-20211231-20220201_1m.csv',
    format: 'csv',
    rows: 45_031,
    first: { ts: Date.UTC(2021, 11, 31, 23, 1), open: 46319, high: 46385, low: 46319, close: 46377, volume: 2300413.7295 },
    last: { ts: Date.UTC(2022, 1, 1, 5, 31), open: 38525, high: 38546, low: 38525, close: 38544, volume: 685906.9735 },
  },
  {
    file: 'freqtrade_UNITTEST_BTC-1m.json',
    format: 'json',
    rows: 13_681,
    first: { ts: 1509836520000, open: 0.00162008, high: 0.00162008, low: 0.00162008, close: 0.00162008, volume: 108.14853839 },
    last: { ts: 1510700340000, open: 0.00270001, high: 0.00270002, low: 0.00270001, close: 0.00270002, volume: 1.94577668 },
  },
  {
    file: 'freqtrade_BTC-5m_columns.json',
    format: 'json',
    rows: 10_999,
    first: { ts: 1672677900000, open: 16727.3, high: 16728.8, low: 16726, close: 16726.1, volume: 691.508 },
    last: { ts: 1675977300000, open: 21918, high: 21960.7, low: 21914, close: 21925.7, volume: 2058.74 },
  },
  {
    file: 'GOOG.csv',
    format: 'csv',
    rows: 2_148,
    first: { ts: Date.UTC(2004, 7, 19), open: 100, high: 104.06, low: 95.96, close: 100.34, volume: 22351900 },
    last: { ts: Date.UTC(2013, 2, 1), open: 797.8, high: 807.14, low: 796.15, close: 806.19, volume: 2175400 },
  },
  {
    file: 'EURUSD.csv',
    format: 'csv',
    rows: 5_000,
    first: { ts: Date.UTC(2017, 3, 19, 9), open: 1.0716, high: 1.0722, low: 1.07083, close: 1.07219, volume: 1413 },
    last: { ts: Date.UTC(2018, 1, 7, 15), open: 1.23427, high: 1.23444, low: 1.22904, close: 1.22904, volume: 6143 },
  },
  {
    file: 'BTCUSD.csv',
    format: 'csv',
    rows: 156,
    first: { ts: Date.UTC(2012, 0, 31), open: 4.58, high: 7.38, low: 3.8, close: 5.55, volume: 2012.25343589 },
    last: { ts: Date.UTC(2024, 11, 31), open: 96515, high: 108364, low: 92092, close: 93381, volume: 25342.80228337 },
  },
] as const;

describe('every shared candle format parses', () => {
  it.each(cases)('$file', ({ file, format, rows, first, last }) => {
    const parsed = load(file);
    const c = parsed.candles;
    expect(parsed.format).toBe(format);
    expect(c.length).toBe(rows);
    expect(parsed.stats).toEqual({ rowsRead: rows, duplicatesDropped: 0, reordered: false });
    expect(candleAt(c, 0)).toEqual(first);
    expect(candleAt(c, c.length - 1)).toEqual(last);
    for (let i = 1; i < c.length; i++) {
      if (!(c.ts[i]! > c.ts[i - 1]!)) expect.fail(`${file}: not strictly ascending at ${i}`);
    }
  });

  it('the nautilus 1m file is contiguous: one candle per minute from first to last', () => {
    const c = load('btc-perp-20211231-20220201_1m.csv').candles;
    expect((c.ts[c.length - 1]! - c.ts[0]!) / 60_000 + 1).toBe(c.length);
  });
});
