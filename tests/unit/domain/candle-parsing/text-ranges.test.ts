import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../src/domain/candle-parsing/parse-number.ts';
import { parseIsoDate, parseTimestamp } from '../../../../src/domain/candle-parsing/parse-timestamp.ts';

/**
 * Numbers and dates read from a range of a string (JSON cells, CSV cells of decoded text): the range
 * is copied into a byte buffer first, so what matters is that no character outside ASCII sneaks
 * through as a digit and that long values are read whole.
 */

const whole = (parse: (t: string, s: number, e: number) => number) => (s: string): number => parse(s, 0, s.length);

describe('reading a range of text as a number or a date', () => {
  it('reads a number longer than any earlier one, whole (300 then 70 digits)', () => {
    const long = `1${'0'.repeat(299)}`;
    expect(whole(parseDecimal)(long)).toBe(Number(long));
    const medium = `0.${'3'.repeat(68)}`;
    expect(whole(parseDecimal)(medium)).toBe(Number(medium));
    expect(whole(parseDecimal)('12.5')).toBe(12.5);
  });

  it('refuses characters beyond ASCII, also those whose low byte is a digit or a date separator', () => {
    // U+0131 and U+0135 end in the bytes of "1" and "5"; U+012D ends in that of "-", U+013A in ":".
    for (const s of ['\u0131', '1\u0135', '\u01315.5', '٣']) expect(whole(parseDecimal)(s), s).toBeNaN();
    expect(whole(parseIsoDate)('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
    for (const s of ['2024\u012D01-31', '2024-01-31T12\u013A00:00Z', '\u01320240131']) {
      expect(whole(parseIsoDate)(s), s).toBeNaN();
      expect(whole(parseTimestamp)(s), s).toBeNaN();
    }
  });

  it('reads every exponent digit, 0 to 9, and refuses anything else after the exponent', () => {
    for (let d = 0; d <= 9; d++) expect(whole(parseDecimal)(`3e${d}`), `3e${d}`).toBe(3 * 10 ** d);
    for (const s of ['1e5x', '1e5:', '1e5/', '1e-2z', '2E+1 ']) expect(whole(parseDecimal)(s), s).toBeNaN();
  });
});
