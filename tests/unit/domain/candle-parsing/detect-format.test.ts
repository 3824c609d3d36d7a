import { describe, expect, it } from 'vitest';
import { detectCandleFormat } from '../../../../src/domain/candle-parsing/detect-format.ts';

describe('detectCandleFormat: content first, then the extension', () => {
  it('takes text starting with [ or { as JSON whatever the name says', () => {
    expect(detectCandleFormat('candles.csv', '[[1,2,3,4,5,6]]')).toBe('json');
    expect(detectCandleFormat('candles.csv', '{"date":[1]}')).toBe('json');
    expect(detectCandleFormat('candles', '{"date":[1]}')).toBe('json');
  });

  it('skips a byte-order mark and every kind of leading white space before deciding', () => {
    for (const lead of ['\uFEFF', ' ', '\t', '\n', '\r', '\uFEFF \t\r\n']) {
      expect(detectCandleFormat('candles.txt', `${lead}[[1,2,3,4,5,6]]`), JSON.stringify(lead)).toBe('json');
      expect(detectCandleFormat('candles.txt', `${lead}{"date":[1]}`), JSON.stringify(lead)).toBe('json');
    }
  });

  it('decides on the first other character: a CSV header or row is CSV', () => {
    expect(detectCandleFormat('candles.txt', 'date,open,high,low,close,volume\n[1]')).toBe('csv');
    expect(detectCandleFormat('candles.txt', '\u00A0[[1,2,3,4,5,6]]')).toBe('csv');
    expect(detectCandleFormat('candles.txt', 'x{')).toBe('csv');
  });

  it('falls back to the extension: .json (any case) is JSON, anything else CSV', () => {
    expect(detectCandleFormat('broken.json', 'not json at all')).toBe('json');
    expect(detectCandleFormat('BROKEN.JSON', '')).toBe('json');
    expect(detectCandleFormat('candles.json.csv', 'date,open')).toBe('csv');
    expect(detectCandleFormat('candles.jsonl', 'date,open')).toBe('csv');
    expect(detectCandleFormat('candles.tsv', '')).toBe('csv');
    expect(detectCandleFormat('candles', '   ')).toBe('csv');
  });
});
