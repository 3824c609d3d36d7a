import { describe, expect, it } from 'vitest';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

const HEADER = 'date,open,high,low,close,volume';
const GOOD = '2021-01-01,1,2,0.5,1.5,10';
/** A CSV whose line 3 is `bad` (line 1 header, line 2 a good row, line 4 another good row). */
const csvWithLine3 = (bad: string): string => `${HEADER}\n${GOOD}\n${bad}\n2021-01-05,1,2,0.5,1.5,10\n`;

describe('malformed CSV is refused with the line and the reason, nothing returned', () => {
  it.each([
    ['non-numeric value', '2021-01-02,abc,2,0.5,1.5,10', 'not_a_number', /line 3: column "open" is not a number \("abc"\)/],
    ['empty value', '2021-01-02,1,,0.5,1.5,10', 'empty_value', /line 3: column "high" is empty/],
    ['NaN', '2021-01-02,1,2,0.5,NaN,10', 'not_finite', /line 3: column "close" is not a finite number \("NaN"\)/],
    ['Infinity', '2021-01-02,1,Infinity,0.5,1.5,10', 'not_finite', /line 3: column "high" is not a finite number/],
    ['overflowing number', '2021-01-02,1,2,0.5,1.5,1e999', 'not_finite', /line 3: column "volume" is not a finite number/],
    ['zero price', '2021-01-02,0,2,0.5,1.5,10', 'non_positive_price', /line 3: open 0 is not a positive price/],
    ['negative price', '2021-01-02,1,2,-0.5,1.5,10', 'non_positive_price', /line 3: low -0.5 is not a positive price/],
    ['all zero', '2021-01-02,0,0,0,0,0', 'non_positive_price', /line 3: open 0 is not a positive price/],
    ['high < low', '2021-01-02,1,0.4,0.5,0.45,10', 'high_below_low', /line 3: high 0.4 is below low 0.5/],
    ['high < max(open, close)', '2021-01-02,1,2,0.5,2.5,10', 'high_below_open_close', /line 3: high 2 is below max\(open 1, close 2.5\)/],
    ['low > min(open, close)', '2021-01-02,1,2,1.1,1.5,10', 'low_above_open_close', /line 3: low 1.1 is above min\(open 1, close 1.5\)/],
    ['negative volume', '2021-01-02,1,2,0.5,1.5,-3', 'negative_volume', /line 3: volume -3 is negative/],
    ['unparseable date', '2021-13-02,1,2,0.5,1.5,10', 'bad_date', /line 3: unparseable date "2021-13-02"/],
    ['words for a date', 'yesterday,1,2,0.5,1.5,10', 'bad_date', /line 3: unparseable date "yesterday"/],
    ['empty date', ',1,2,0.5,1.5,10', 'empty_value', /line 3: column "time" is empty/],
    ['too few columns', '2021-01-02,1,2,0.5,1.5', 'column_count', /line 3: expected 6 columns, found 5/],
    ['too many columns', '2021-01-02,1,2,0.5,1.5,10,7', 'column_count', /line 3: expected 6 columns, found 7/],
  ])('%s', (_label, bad, reason, message) => {
    const err = expectRefusal(() => parseCandleText(csvWithLine3(bad), 'bad.csv'));
    expect(err.message).toMatch(/^bad\.csv line 3: /);
    expect(err.message).toMatch(message);
    expect(refusalOf(err)).toEqual({ reason, where: 'line 3' });
  });

  it('counts blank lines and CRLF lines in line numbers', () => {
    const err = expectRefusal(() => parseCandleText(`${HEADER}\r\n\r\n${GOOD}\r\n\r\n2021-01-02,1,2,0.5,oops,10\r\n`, 'bad.csv'));
    expect(err.message).toMatch(/^bad\.csv line 5: column "close" is not a number \("oops"\)/);
  });

  it('duplicate timestamps with different values name both lines', () => {
    const text = `${HEADER}\n${GOOD}\n2021-01-02,1,2,0.5,1.5,10\n2021-01-01,1,2,0.5,1.6,10\n`;
    const err = expectRefusal(() => parseCandleText(text, 'dup.csv'));
    expect(err.message).toBe('dup.csv line 2 and line 4: duplicate timestamp 2021-01-01T00:00:00.000Z with different values');
    expect(err.details?.reason).toBe('duplicate_timestamp');
  });

  it('a missing column is refused on the header line, naming the column', () => {
    const err = expectRefusal(() => parseCandleText('date,open,high,low,volume\n2021-01-01,1,2,0.5,10\n', 'nocl.csv'));
    expect(err.message).toMatch(/^nocl\.csv line 1: missing column "close"/);
    expect(refusalOf(err)).toEqual({ reason: 'missing_column', where: 'line 1' });
    const noTime = expectRefusal(() => parseCandleText('when,open,high,low,close,volume\n', 'x.csv'));
    expect(noTime.message).toMatch(/missing column "time \(date, timestamp, time, open_time or datetime\)"/);
  });

  it('a column named twice is ambiguous', () => {
    const err = expectRefusal(() => parseCandleText('date,open,high,low,close,Close,volume\n', 'x.csv'));
    expect(refusalOf(err)).toEqual({ reason: 'duplicate_column', where: 'line 1' });
  });

  it.each([
    ['empty file', ''],
    ['only blank lines', '\n  \n\r\n'],
    ['header only', `${HEADER}\n`],
  ])('%s is refused as empty', (_label, text) => {
    const err = expectRefusal(() => parseCandleText(text, 'empty.csv'));
    expect(err.message).toMatch(/^empty\.csv: /);
    expect(err.details?.reason).toBe('empty_file');
  });

  it('refuses at the first bad line even when it comes after thousands of good ones', () => {
    const rows = [HEADER];
    for (let i = 0; i < 5_000; i++) rows.push(`${Date.UTC(2021, 0, 1) + i * 60_000},1,2,0.5,1.5,10`);
    rows.push('2030-01-01,1,2,0.5,1.5,-1');
    const err = expectRefusal(() => parseCandleText(rows.join('\n'), 'long.csv'));
    expect(err.message).toMatch(/^long\.csv line 5002: volume -1 is negative/);
  });
});

describe('malformed JSON is refused with the index and the reason, nothing returned', () => {
  const good = [Date.UTC(2021, 0, 1), 1, 2, 0.5, 1.5, 10];
  it.each([
    ['non-numeric value', [good, [Date.UTC(2021, 0, 2), 1, 'abc', 0.5, 1.5, 10]], 'index 1', 'not_a_number', /column "high" is not a number/],
    ['null value', [good, [Date.UTC(2021, 0, 2), 1, 2, 0.5, null, 10]], 'index 1', 'empty_value', /column "close" is empty/],
    ['NaN as a string', [good, [Date.UTC(2021, 0, 2), 'NaN', 2, 0.5, 1.5, 10]], 'index 1', 'not_finite', /column "open" is not a finite number/],
    ['high < low', [good, good, [Date.UTC(2021, 0, 3), 1, 1, 2, 1, 10]], 'index 2', 'high_below_low', /high 1 is below low 2/],
    ['negative volume', [[Date.UTC(2021, 0, 2), 1, 2, 0.5, 1.5, -1]], 'index 0', 'negative_volume', /volume -1 is negative/],
    ['negative close', [good, [Date.UTC(2021, 0, 2), 1, 2, 0.5, -1.5, 10]], 'index 1', 'non_positive_price', /close -1.5 is not a positive price/],
    ['bad date', [good, ['2021-02-30', 1, 2, 0.5, 1.5, 10]], 'index 1', 'bad_date', /unparseable date "2021-02-30"/],
    ['short row', [good, [Date.UTC(2021, 0, 2), 1, 2]], 'index 1', 'column_count', /expected \[time, open, high, low, close, volume\], found 3 values/],
    ['record missing a key', [{ date: 1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }, { date: 2, open: 1, high: 2, low: 0.5, volume: 1 }], 'index 1', 'missing_column', /missing column "close"/],
  ])('%s', (_label, value, where, reason, message) => {
    const err = expectRefusal(() => parseCandleText(JSON.stringify(value), 'bad.json'));
    expect(err.message.startsWith(`bad.json ${where}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect(refusalOf(err)).toEqual({ reason, where });
  });

  it('columns objects name the row key', () => {
    const columns = { date: { 0: 1_600_000_000_000, 7: 1_600_000_060_000 }, open: { 0: 1, 7: 1 }, high: { 0: 2, 7: 2 }, low: { 0: 0.5, 7: 0.5 }, close: { 0: 1.5, 7: 3 }, volume: { 0: 1, 7: 1 } };
    const err = expectRefusal(() => parseCandleText(JSON.stringify(columns), 'cols.json'));
    expect(err.message).toBe('cols.json row "7": high 2 is below max(open 1, close 3)');
    const missing = { ...columns, close: { 0: 1.5 } };
    const err2 = expectRefusal(() => parseCandleText(JSON.stringify(missing), 'cols.json'));
    expect(refusalOf(err2)).toEqual({ reason: 'missing_column', where: 'row "7"' });
  });

  it('duplicate timestamps with different values name both indexes', () => {
    const err = expectRefusal(() => parseCandleText(JSON.stringify([good, [good[0], 1, 2, 0.5, 1.4, 10]]), 'dup.json'));
    expect(err.message).toBe('dup.json index 0 and index 1: duplicate timestamp 2021-01-01T00:00:00.000Z with different values');
  });

  it.each([
    ['invalid JSON', '[[1,2,3', 'bad_json'],
    ['empty array', '[]', 'empty_file'],
    ['a JSON string', '"candles"', 'bad_shape'],
    ['an object without the columns', '{"date": {"0": 1}, "open": {"0": 1}}', 'missing_column'],
    ['empty columns', '{"date":{},"open":{},"high":{},"low":{},"close":{},"volume":{}}', 'empty_file'],
    ['an array of numbers', '[1, 2, 3]', 'bad_shape'],
  ])('%s', (_label, text, reason) => {
    const err = expectRefusal(() => parseCandleText(text, 'bad.json'));
    expect(err.message.startsWith('bad.json')).toBe(true);
    expect(err.details?.reason).toBe(reason);
  });
});
