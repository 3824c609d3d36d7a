import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../../../src/domain/candle-parsing/parse-timestamp.ts';

const iso = (s: string): number => parseIsoDate(s, 0, s.length);
const NOON = Date.UTC(2024, 0, 31, 12);

describe('ISO dates with a zone', () => {
  it('reads Z or z, with or without a space before it', () => {
    for (const s of ['2024-01-31T12:00:00Z', '2024-01-31T12:00:00z', '2024-01-31 12:00:00 Z']) expect(iso(s), s).toBe(NOON);
  });

  it('subtracts a positive offset and adds a negative one, hours and minutes, with or without the colon', () => {
    expect(iso('2024-01-31T12:00:00+05:30')).toBe(NOON - (5 * 60 + 30) * 60_000);
    expect(iso('2024-01-31T12:00:00+0530')).toBe(NOON - (5 * 60 + 30) * 60_000);
    expect(iso('2024-01-31T12:00:00-02:45')).toBe(NOON + (2 * 60 + 45) * 60_000);
    expect(iso('2024-01-31T12:00:00+23:59')).toBe(NOON - (23 * 60 + 59) * 60_000);
    expect(iso('2024-01-31T12:00:00-07')).toBe(NOON + 7 * 3_600_000);
    expect(iso('2024-01-31T12:00:00 +01:00')).toBe(NOON - 3_600_000);
    for (const s of ['2024-01-31T12:00:00+05:30', '2024-01-31T12:00:00-02:45', '2024-01-31T12:00:00+23:59']) expect(iso(s), s).toBe(Date.parse(s));
  });

  it('refuses offsets out of range, half-written zones and anything after the zone', () => {
    for (const s of [
      '2024-01-31T12:00:00+24:00', '2024-01-31T12:00:00+05:60', '2024-01-31T12:00:00+5', '2024-01-31T12:00:00+05:3',
      '2024-01-31T12:00:00 ', '2024-01-31T12:00:00U', '2024-01-31T12:00:00ZZ', '2024-01-31T12:00:00+05:30x', '2024-01-31T12:00:00+',
    ]) expect(iso(s), s).toBeNaN();
  });
});
