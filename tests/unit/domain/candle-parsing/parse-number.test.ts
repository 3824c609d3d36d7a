import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../src/domain/candle-parsing/parse-number.ts';

const whole = (s: string): number => parseDecimal(s, 0, s.length);

describe('parseDecimal', () => {
  it('parses the decimal forms candle files use, bit-for-bit like Number()', () => {
    const samples = [
      '0', '-0', '46319.0', '0.00162008', '2300413.7295', '1.0716', '+5', '.5', '5.', '-12.75', '1e3', '1.5E-7', '2.5e+10',
      '123456789012345678', // > 2^53: falls back to Number()
      '0.1000000000000000055511151231257827', // long mantissa: fallback
      '1e-30', '7e25', // exponents outside the exact fast path
      '108.14853839', '16727.3', '9007199254740991', '9007199254740993',
      `0.${'0'.repeat(99)}1e2`, `0.${'0'.repeat(30)}15e-3`, // many fraction digits with an exponent: exponent minus fraction digits
    ];
    for (const s of samples) expect(Object.is(whole(s), Number(s)), s).toBe(true);
  });

  it('matches Number() on many random prices and volumes', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const s = (rand() * 10 ** Math.floor(rand() * 12 - 4)).toFixed(Math.floor(rand() * 12));
      expect(whole(s), s).toBe(Number(s));
    }
  });

  it('parses a range inside a longer string without slicing it', () => {
    const line = '2021-01-01,46319.5,46400';
    expect(parseDecimal(line, 11, 18)).toBe(46319.5);
    expect(parseDecimal(line, 19, line.length)).toBe(46400);
  });

  it('returns NaN for anything that is not a plain decimal, including what Number() would accept', () => {
    // '1.5000e1;' and '1.5000e1:': what follows the exponent is refused even when the fraction digits
    // would bring the exponent back into range (a ';' of the next cell, read with the wrong delimiter).
    for (const s of ['', ' ', 'abc', '1,5', '1.2.3', '--1', 'e5', '1e', '1e+', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '12a', '1.5000e1;', '1.5000e1:']) {
      expect(whole(s), JSON.stringify(s)).toBeNaN();
    }
  });
});
