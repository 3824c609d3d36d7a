import { describe, expect, it } from 'vitest';
import { candlesToRows } from '../../../../src/domain/candles.ts';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

/**
 * The exact message of each JSON candle refusal: it is what the user reads in chat or the terminal,
 * so it must name the file, the place and what is wrong.
 */

const T = 1_600_000_000_000;
const good = [T, 1, 2, 0.5, 1.5, 10];
const rec = (date: number, close = 1.5) => ({ date, open: 1, high: 2, low: 0.5, close, volume: 10 });

function refusal(text: string, file = 'bad.json') {
  const err = expectRefusal(() => parseCandleText(text, file));
  return { message: err.message, ...refusalOf(err) };
}

describe('JSON candle files: accepted edge forms', () => {
  it('reads a file that starts with a byte-order mark', () => {
    expect(candlesToRows(parseCandleText(`\uFEFF${JSON.stringify([good])}`, 'bom.json'))).toEqual([{ ts: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
  });
});

describe('JSON candle refusals, word for word', () => {
  it('an empty or blank file', () => {
    for (const text of ['', '  \n ']) expect(refusal(text, 'empty.json')).toEqual({ message: 'empty.json: the file is empty', reason: 'empty_file', where: '' });
  });

  it('text that is not JSON, with the parser\'s own reason', () => {
    let reason = '';
    try {
      JSON.parse('[[1,2,3');
    } catch (err) {
      reason = (err as Error).message;
    }
    expect(refusal('[[1,2,3')).toEqual({ message: `bad.json: not valid JSON (${reason})`, reason: 'bad_json', where: '' });
  });

  it('a value of the wrong shape', () => {
    expect(refusal('"candles"')).toEqual({ message: 'bad.json: expected a JSON array of candles or an object of columns', reason: 'bad_shape', where: '' });
    expect(refusal('[]')).toEqual({ message: 'bad.json: no candle rows (empty JSON array)', reason: 'empty_file', where: '' });
    for (const text of ['null', '5', 'true']) expect(refusal(text).message, text).toBe('bad.json: expected a JSON array of candles or an object of columns');
    expect(refusal('[null]').message).toBe('bad.json index 0: expected an array of [time, open, …] arrays or of {date, open, …} objects');
    expect(refusal('[1, 2, 3]')).toEqual({ message: 'bad.json index 0: expected an array of [time, open, …] arrays or of {date, open, …} objects', reason: 'bad_shape', where: 'index 0' });
  });

  it('a row that is not a list of six values, showing at most 40 characters of it', () => {
    expect(refusal(JSON.stringify([good, { a: 1 }]))).toEqual({ message: 'bad.json index 1: expected [time, open, high, low, close, volume], found {"a":1}', reason: 'column_count', where: 'index 1' });
    expect(refusal(JSON.stringify([good, null])).message).toBe('bad.json index 1: expected [time, open, high, low, close, volume], found null');
    expect(refusal(JSON.stringify([good, 'x'.repeat(60)])).message).toBe(`bad.json index 1: expected [time, open, high, low, close, volume], found "${'x'.repeat(39)}`);
    expect(refusal(JSON.stringify([good, [T, 1, 2, 0.5, 1.5]])).message).toBe('bad.json index 1: expected [time, open, high, low, close, volume], found 5 values');
  });

  it('a missing or unreadable time, and a number cell holding an object', () => {
    expect(refusal(JSON.stringify([[null, 1, 2, 0.5, 1.5, 10]]))).toEqual({ message: 'bad.json index 0: column "time" is empty', reason: 'empty_value', where: 'index 0' });
    expect(refusal(JSON.stringify([[T, { v: 1 }, 2, 0.5, 1.5, 10]])).message).toBe(`bad.json index 0: column "open" is not a number (${JSON.stringify('{"v":1}')})`);
  });

  it('shows a refused text cell without its surrounding spaces, and a blank one as empty', () => {
    expect(refusal(JSON.stringify([[T, '  abc  ', 2, 0.5, 1.5, 10]])).message).toBe('bad.json index 0: column "open" is not a number ("abc")');
    expect(refusal(JSON.stringify([[T, '   ', 2, 0.5, 1.5, 10]]))).toEqual({ message: 'bad.json index 0: column "open" is empty', reason: 'empty_value', where: 'index 0' });
    expect(refusal(JSON.stringify([[' soon ', 1, 2, 0.5, 1.5, 10]])).message).toBe(
      'bad.json index 0: unparseable date "soon" (expected an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z, or epoch s/ms/µs)',
    );
    expect(refusal(JSON.stringify([['  ', 1, 2, 0.5, 1.5, 10]])).message).toBe('bad.json index 0: column "time" is empty');
  });

  it('records: a later record that is not an object like the first', () => {
    for (const other of [5, null, [T, 1, 2, 0.5, 1.5, 10], 'text']) {
      expect(refusal(JSON.stringify([rec(T), other])), JSON.stringify(other)).toEqual({ message: 'bad.json index 1: expected an object like the first one', reason: 'bad_shape', where: 'index 1' });
    }
  });

  it('records: duplicate timestamps name both records by index', () => {
    expect(refusal(JSON.stringify([rec(T), rec(T, 1.4)])).message).toBe(`bad.json index 0 and index 1: duplicate timestamp ${new Date(T).toISOString()} with different values`);
  });

  it('a missing column lists the keys there are; a column given twice is named as written', () => {
    expect(refusal('{"date": {"0": 1}, "open": {"0": 1}}')).toEqual({ message: 'bad.json: missing column "high" (keys: date, open)', reason: 'missing_column', where: '' });
    const twiceTime = { ' Date ': T, date: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    expect(refusal(JSON.stringify([twiceTime]))).toEqual({ message: 'bad.json index 0: column "Date" appears twice', reason: 'duplicate_column', where: 'index 0' });
    const twiceClose = { date: T, open: 1, high: 2, low: 0.5, close: 1.5, Close: 1.5, volume: 10 };
    expect(refusal(JSON.stringify([twiceClose])).message).toBe('bad.json index 0: column "close" appears twice');
  });

  it('columns: a column that is neither an object nor an array', () => {
    for (const bad of [5, null, 'x']) {
      const columns = { date: { 0: T }, open: { 0: 1 }, high: bad, low: { 0: 0.5 }, close: { 0: 1.5 }, volume: { 0: 10 } };
      expect(refusal(JSON.stringify(columns)), JSON.stringify(bad)).toEqual({ message: 'bad.json: column "high" must be an object {"0": value, …} or an array', reason: 'bad_shape', where: '' });
    }
  });

  it('columns: no rows, or a row missing in one column', () => {
    expect(refusal('{"date":{},"open":{},"high":{},"low":{},"close":{},"volume":{}}').message).toBe('bad.json: no candle rows (empty columns)');
    const columns = { date: { 0: T, 7: T + 60_000 }, open: { 0: 1, 7: 1 }, high: { 0: 2, 7: 2 }, low: { 0: 0.5, 7: 0.5 }, close: { 0: 1.5 }, volume: { 0: 1, 7: 1 } };
    expect(refusal(JSON.stringify(columns)).message).toBe('bad.json row "7": column "close" has no value for this row');
  });

  it('reads prices given as text with spaces around them', () => {
    expect(candlesToRows(parseCandleText(JSON.stringify([[T, ' 1 ', '2 ', ' 0.5', '1.5', ' 10 ']]), 'text.json'))).toEqual([{ ts: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
  });

  it('columns given as arrays name the row by its position', () => {
    const columns = { date: [T, T + 60_000], open: [1, 1], high: [2, 2], low: [0.5, 0.5], close: [1.5, 3], volume: [1, 1] };
    expect(refusal(JSON.stringify(columns)).message).toBe('bad.json row "1": high 2 is below max(open 1, close 3)');
  });
});
