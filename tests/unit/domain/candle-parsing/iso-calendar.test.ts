import { describe, expect, it } from 'vitest';
import { epochToMs, parseIsoDate, parseTimestamp, timestampFromValue } from '../../../../src/domain/candle-parsing/parse-timestamp.ts';

/** The calendar arithmetic and the exact forms of dates and epochs (the layouts: parse-timestamp.test.ts). */

const iso = (s: string): number => parseIsoDate(s, 0, s.length);
const ts = (s: string): number => parseTimestamp(s, 0, s.length);
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

describe('the calendar', () => {
  it('gives Date.UTC for every day of leap, common and century years, and every month start over 800 years', () => {
    for (const year of [1900, 1999, 2000, 2023, 2024, 2100]) {
      for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86_400_000)) {
        const s = `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
        expect(iso(s), s).toBe(d.getTime());
      }
    }
    for (let year = 1600; year <= 2400; year += 7) {
      for (let m = 1; m <= 12; m++) expect(iso(`${year}-${pad(m)}-01`), `${year}-${m}`).toBe(Date.UTC(year, m - 1, 1));
    }
  });

  it('refuses the day after the last of every month, leap years included', () => {
    for (const year of [1900, 2000, 2023, 2024, 2100]) {
      for (let m = 1; m <= 12; m++) {
        const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
        expect(iso(`${year}-${pad(m)}-${last}`), `${year}-${m}-${last}`).toBe(Date.UTC(year, m - 1, last));
        expect(iso(`${year}-${pad(m)}-${last + 1}`), `${year}-${m}-${last + 1}`).toBeNaN();
      }
    }
  });
});

describe('date and time forms', () => {
  const D = Date.UTC(2021, 0, 5);

  it('reads one-digit months, days and hours, and a lower-case t', () => {
    expect(iso('2021-1-5')).toBe(D);
    expect(iso('2021/1/05')).toBe(D);
    expect(iso('2021-01-05t7:05')).toBe(D + 7 * 3_600_000 + 5 * 60_000);
  });

  it('rounds a fraction of a second to the millisecond, after a dot or a comma', () => {
    expect(iso('2021-01-05T00:00:00.5')).toBe(D + 500);
    expect(iso('2021-01-05T00:00:00,25Z')).toBe(D + 250);
    expect(iso('2021-01-05T00:00:00.0005')).toBe(D + 1);
    expect(iso('2021-01-05T00:00:00.0004')).toBe(D);
    expect(iso('2021-01-05T00:00:59.999999999')).toBe(D + 60_000);
  });

  it('refuses dates and times cut short or with mixed separators', () => {
    for (const s of [
      '2021', '2021-', '2021-01', '2021-01-', '2021-01/05', '2021/01-05', '2021-01-05T', '2021-01-05T12:', '2021-01-05T12:5',
      '2021-01-05T12:05:', '2021-01-05T12:05:5', '2021-01-05T12:05:00.', '2021-01-05T12:05:00.1234567891', '2021-01-05T12-05',
      '12021-01-05', '2021-001-05', '2021-01-005', '2021-01-05T001:05', '2021-01-05T01:005', '2021-01-05T01:05:005', // too many digits
    ]) expect(iso(s), s).toBeNaN();
  });
});

describe('epoch numbers', () => {
  it('reads signed and fractional epochs', () => {
    expect(ts('-86400')).toBe(-86_400_000);
    expect(ts('+86400')).toBe(86_400_000);
    expect(ts('.5')).toBe(500);
    expect(ts('1.6e9')).toBe(1.6e12);
  });

  it('reads a four-digit epoch as seconds, also right after a longer date was read', () => {
    expect(ts('2021-01-05T00:00:00Z')).toBe(Date.UTC(2021, 0, 5));
    expect(ts('2021')).toBe(2_021_000);
    expect(timestampFromValue('2021-01-05')).toBe(Date.UTC(2021, 0, 5));
    expect(timestampFromValue('1234')).toBe(1_234_000);
  });

  it('refuses a time that starts with anything but a digit, a sign or a dot', () => {
    for (const s of [' 1609459200', 'x1609459200', '/2021', ':5']) expect(ts(s), s).toBeNaN();
  });

  it('never returns -0 (an instant just before 1970 rounds to 0)', () => {
    expect(Object.is(epochToMs(-0.0001), 0)).toBe(true);
    expect(Object.is(ts('-0'), 0)).toBe(true);
  });

  it('refuses non-finite numbers and blank strings from JSON', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, ' ', '\t']) expect(timestampFromValue(v), String(v)).toBeNaN();
  });
});

describe('the exact shape of a date, field by field', () => {
  const NOON = Date.UTC(2024, 0, 31, 12);

  it('takes a zone right after the minutes when there are no seconds', () => {
    expect(iso('2024-01-31T12:00Z')).toBe(NOON);
    expect(iso('2024-01-31 12:00 Z')).toBe(NOON);
    expect(iso('2024-01-31T13:00+01:00')).toBe(NOON);
  });

  it('refuses a year of fewer than four digits, a separator other than - or /, and a missing hour', () => {
    for (const s of ['21-01-01', '202-01-01', '2021.01.05', '2021x01x05', '2021-01-05_07:05', '2021-01-05T:05', '2021-01-05 :05:00']) {
      expect(iso(s), s).toBeNaN();
    }
    expect(iso('0000-01-01')).toBe(Date.parse('0000-01-01T00:00:00Z'));
  });

  it('refuses a zone that is neither Z nor a signed offset', () => {
    for (const s of ['2024-01-31T12:00:00x05:00', '2024-01-31T12:00:00 05:00', '2024-01-31T12:00:00*0500']) expect(iso(s), s).toBeNaN();
  });

  it('reads a date inside a longer text, by its range', () => {
    const line = 'BTC,2024-01-31T12:00Z,1609459200';
    expect(parseIsoDate(line, 4, 21)).toBe(NOON);
    expect(parseTimestamp(line, 4, 21)).toBe(NOON);
    expect(parseTimestamp(line, 22, line.length)).toBe(Date.UTC(2021, 0, 1));
  });

  it('reads each date on its own, whatever longer date came before it', () => {
    const values = ['2024-01-31T12:00:00', '2024-01-31T12:00', '2024-01-31 12:00:00+01:00', '2024-01-31 12:00', '2024-01-31'];
    expect(values.map((v) => timestampFromValue(v))).toEqual([NOON, NOON, NOON - 3_600_000, NOON, Date.UTC(2024, 0, 31)]);
  });

  it('reads epochs starting with 0 or 9', () => {
    expect(ts('0')).toBe(0);
    expect(ts('0.5')).toBe(500);
    expect(ts('9')).toBe(9_000);
    expect(ts('99999')).toBe(99_999_000);
  });
});
