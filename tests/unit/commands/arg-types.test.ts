import { describe, expect, it } from 'vitest';
import { choice, confirmationCode, decimal, flag, params, parseUtcDate, strategyName, symbol, text, timeframe, utcDate, wholeNumber } from '../../../commands/arg-types.ts';

const ok = (schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }, v: unknown) => {
  const r = schema.safeParse(v);
  expect(r.success, `${JSON.stringify(v)} should pass`).toBe(true);
  return r.data;
};
const bad = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }, v: unknown) => {
  const r = schema.safeParse(v);
  expect(r.success, `${JSON.stringify(v)} should fail`).toBe(false);
  return r.error!.issues[0]!.message;
};

describe('wholeNumber', () => {
  const n = wholeNumber(1, 100, 'a count');
  it('accepts ASCII whole numbers in range', () => {
    expect(ok(n, '1')).toBe(1);
    expect(ok(n, '100')).toBe(100);
    expect(ok(n, '007')).toBe(7);
  });
  it.each(['NaN', 'Infinity', '1e309', '1e2', '-1', '0x10', '1,000', '١٢', '０１', '５', '1_0', '0', '101', '1.5', '+5', ' 5', '', '9'.repeat(25), '0b1', '1n'])('refuses %j with what is accepted', (v) => {
    expect(bad(n, v)).toBe('expected a count from 1 to 100');
  });
  it('allows negatives only when the range does', () => {
    expect(ok(wholeNumber(-5, 5), '-5')).toBe(-5);
    expect(bad(wholeNumber(-5, 5), '-6')).toContain('from -5 to 5');
  });
  it('refuses unsafe integers', () => {
    expect(bad(wholeNumber(1, Number.MAX_SAFE_INTEGER), '9007199254740993')).toContain('expected');
  });
});

describe('decimal', () => {
  const d = decimal(0, 1000, 'a price');
  it('accepts plain decimals', () => {
    expect(ok(d, '0.5')).toBe(0.5);
    expect(ok(d, '1000')).toBe(1000);
  });
  it.each(['NaN', 'Infinity', '-Infinity', '1e309', '1e3', '-1', '0x10', '1,000', '1.', '.5', '١٫٢', '１', '1000.01', '- 1', '1..2'])('refuses %j', (v) => {
    expect(bad(d, v)).toMatch(/^expected a price from 0 to 1 000/);
  });
});

describe('utcDate', () => {
  const date = utcDate();
  it('accepts real UTC dates and date-times', () => {
    expect(ok(date, '2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(ok(date, '2024-01-31T12:30Z')).toBe(Date.UTC(2024, 0, 31, 12, 30));
    expect(ok(date, '2024-01-31T12:30:15.5Z')).toBe(Date.UTC(2024, 0, 31, 12, 30, 15, 500));
    expect(ok(date, '2024-01-31T23:59:59+00:00')).toBe(Date.UTC(2024, 0, 31, 23, 59, 59));
  });
  it.each(['2024-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-01T24:00Z', '2024-01-01T12:60', '2024-01-01T12:00+02:00', '20240101', '2024-1-1', '01/02/2024', '２０２４-01-01', '1969-12-31', '2200-01-01', 'today', ''])('refuses %j', (v) => {
    expect(bad(date, v)).toContain('expected a real UTC date YYYY-MM-DD');
  });
  it('parseUtcDate agrees', () => {
    expect(parseUtcDate('2024-02-30')).toBeUndefined();
    expect(parseUtcDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseUtcDate('1900-02-29')).toBeUndefined();
  });
});

describe('symbol', () => {
  const s = symbol();
  it('accepts ASCII BASE/QUOTE, upper-cased', () => {
    expect(ok(s, 'btc/usdt')).toBe('BTC/USDT');
    expect(ok(s, 'BTC/USDT:USDT')).toBe('BTC/USDT:USDT');
  });
  it.each([
    ['Cyrillic В', 'ВTC/USDT'],
    ['Greek omicron', 'DΟGE/USDT'],
    ['dotless ı (upper-cases to ASCII I)', 'ınj/USDT'],
    ['long ſ (upper-cases to ASCII S)', 'ſol/USDT'],
    ['fullwidth', 'ＢＴＣ/USDT'],
    ['fraction slash', 'BTC⁄USDT'],
    ['zero-width', 'BTC\u200b/USDT'],
    ['no slash', 'BTCUSDT'],
    ['dash', 'BTC-USDT'],
    ['SQL', "BTC/USDT';--"],
    ['shell', '$(id)/USDT'],
    ['empty side', 'BTC/'],
  ])('refuses %s', (_what, v) => {
    expect(bad(s, v)).toBe('expected a symbol such as BTC/USDT (ASCII letters and digits, BASE/QUOTE)');
  });
});

describe('timeframe, strategy names, choices, text, codes, params', () => {
  it('timeframes', () => {
    expect(ok(timeframe(), '15m')).toBe('15m');
    for (const v of ['1M', '0m', '1y', '1000m', 'h1', '1.5h', '١h']) expect(bad(timeframe(), v)).toContain('expected a timeframe');
  });
  it('strategy names', () => {
    expect(ok(strategyName(), 'SMA-Cross')).toBe('sma-cross');
    for (const v of ['../x', 'sma_cross', '-x', 'ѕma', 'a'.repeat(65)]) expect(bad(strategyName(), v)).toContain('expected a strategy name');
  });
  it('choices', () => {
    const c = choice(['day', 'week', 'month'] as const);
    expect(ok(c, 'WEEK')).toBe('week');
    expect(bad(c, 'year')).toBe('expected day, week or month');
    expect(bad(c, 'DAY\u0301')).toBe('expected day, week or month');
  });
  it('text', () => {
    expect(ok(text(5), 'hello')).toBe('hello');
    expect(bad(text(5), 'hello!')).toBe('expected text of at most 5 characters');
    expect(bad(text(50), 'a\u202eb')).toBe('expected text without control characters');
  });
  it('confirmation codes', () => {
    expect(ok(confirmationCode(), 'ab3k9z')).toBe('AB3K9Z');
    expect(bad(confirmationCode(), 'AB3K9')).toContain('6-character code');
  });
  it('params: strict numbers, booleans, words', () => {
    expect(ok(params(), { fast: '5', ratio: '-0.25', on: 'true', mode: 'close', n: 3 })).toEqual({ fast: 5, ratio: -0.25, on: true, mode: 'close', n: 3 });
    for (const v of ['NaN', 'Infinity', '-inf', '1e309', '1e3', '0x10', '1,000', '١٢', '$(id)', '', 'a b']) {
      expect(bad(params(), { fast: v })).toContain('expected a number');
    }
    expect(bad(params(), { fast: Number.POSITIVE_INFINITY })).toContain('expected a number');
    expect(bad(params(2), { a: '1', b: '2', c: '3' })).toBe('expected at most 2 k=v parameters');
  });
  it('flags: on/off, true/false, yes/no in any case, or a boolean (a Discord option); nothing else', () => {
    for (const v of ['on', 'ON', 'true', 'Yes', true]) expect(ok(flag(), v)).toBe(true);
    for (const v of ['off', 'False', 'no', false]) expect(ok(flag(), v)).toBe(false);
    for (const v of ['', 'maybe', '1', 'onn', 'enabled!!', 'o']) expect(bad(flag(), v)).toBe('expected on or off (also true/false, yes/no)');
  });
});
