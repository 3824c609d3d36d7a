import { describe, expect, it } from 'vitest';
import {
  epochToMs,
  parseIsoDate,
  parseTimestamp,
  timestampFromValue,
} from '../../../../src/domain/candle-parsing/parse-timestamp.ts';

const ts = (s: string): number => parseTimestamp(s, 0, s.length);
const T = Date.UTC(2017, 10, 4, 23, 2); // 1509836520000

describe('epoch unit detection by magnitude', () => {
  it('reads seconds, milliseconds, microseconds and nanoseconds of the same instant alike', () => {
    expect(T).toBe(1_509_836_520_000);
    expect(epochToMs(1_509_836_520)).toBe(T);
    expect(epochToMs(1_509_836_520_000)).toBe(T);
    expect(epochToMs(1_509_836_520_000_000)).toBe(T);
    expect(epochToMs(1_509_836_520_000_000_000)).toBe(T);
    expect(ts('1509836520')).toBe(T);
    expect(ts('1509836520000')).toBe(T);
    expect(ts('1509836520000000')).toBe(T);
    expect(ts('1509836520000000000')).toBe(T);
  });

  it('switches unit exactly at the documented thresholds (1e11, 1e14, 1e17, 1e20)', () => {
    expect(epochToMs(99_999_999_999)).toBe(99_999_999_999_000); // seconds: year 5138
    expect(epochToMs(100_000_000_000)).toBe(100_000_000_000); // milliseconds: 1973-03-03
    expect(epochToMs(99_999_999_999_999)).toBe(99_999_999_999_999); // still ms
    expect(epochToMs(100_000_000_000_000)).toBe(100_000_000_000); // µs
    expect(epochToMs(1e17)).toBe(100_000_000_000); // ns
    expect(epochToMs(1e20)).toBeNaN();
  });

  it('keeps fractional seconds and rounds sub-millisecond units to the nearest ms', () => {
    expect(ts('1509836520.5')).toBe(T + 500);
    expect(ts('1509836520000499')).toBe(T); // µs: .499 ms rounds down
    expect(ts('1509836520000500')).toBe(T + 1);
    expect(epochToMs(0)).toBe(0);
  });
});

describe('ISO-like dates (no zone = UTC)', () => {
  it('accepts the layouts candle files use', () => {
    expect(ts('2017-11-04')).toBe(Date.UTC(2017, 10, 4));
    expect(ts('2017/11/04')).toBe(Date.UTC(2017, 10, 4));
    expect(ts('2017-11-04 23:02')).toBe(T);
    expect(ts('2017-11-04 23:02:00')).toBe(T);
    expect(ts('2017-11-04T23:02:00')).toBe(T);
    expect(ts('2017-11-04T23:02:00Z')).toBe(T);
    expect(ts('2017-11-04 23:02:00.000000')).toBe(T);
    expect(ts('2017-11-04T23:02:00.123Z')).toBe(T + 123);
    expect(ts('2017-11-04T23:02:00.123456789Z')).toBe(T + 123);
    expect(ts('2017-11-04 23:02:00+00:00')).toBe(T);
    expect(ts('2017-11-05T01:02:00+02:00')).toBe(T);
    expect(ts('2017-11-05T01:02:00+0200')).toBe(T);
    expect(ts('2017-11-04T18:02:00-05')).toBe(T);
    expect(ts('2017-11-04 23:02:00 Z')).toBe(T);
  });

  it('agrees with Date.parse over leap days, century rules and dates before 1970', () => {
    for (const d of ['2000-02-29', '1900-03-01', '2024-02-29', '1970-01-01', '1969-12-31', '2100-12-31', '1600-02-29']) {
      expect(ts(d), d).toBe(Date.parse(`${d}T00:00:00Z`));
    }
  });

  it('refuses impossible or malformed dates', () => {
    for (const d of ['2021-13-01', '2021-02-30', '2023-02-29', '2021-00-10', '2021-01-01T24:00:00', '2021-01-01T12:60:00', '2021-01-01T12:00:61', '2021-01-01X', '2021-01-01T12', '2021-01-01T12:00:00+25:00', '21-01-01', 'yesterday', 'abc', '']) {
      expect(ts(d), d).toBeNaN();
    }
    expect(parseIsoDate('2021-01-01 garbage', 0, 18)).toBeNaN();
  });
});

describe('timestampFromValue (JSON cells)', () => {
  it('takes numbers as epochs and strings as epochs or dates', () => {
    expect(timestampFromValue(T)).toBe(T);
    expect(timestampFromValue(T / 1000)).toBe(T);
    expect(timestampFromValue(' 1509836520000 ')).toBe(T);
    expect(timestampFromValue('2017-11-04T23:02:00Z')).toBe(T);
    expect(timestampFromValue(null)).toBeNaN();
    expect(timestampFromValue('')).toBeNaN();
    expect(timestampFromValue({})).toBeNaN();
  });
});
