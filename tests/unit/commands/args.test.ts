import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mapArgs, optionsToArgs, parseArgs, parseCommandLine, tokenize, validateArgs } from '../../../commands/args.ts';
import { params, text, wholeNumber } from '../../../commands/arg-types.ts';
import type { Command } from '../../../commands/command.ts';
import { AppError } from '../../../src/domain/errors.ts';

const cmd = (over: Partial<Command> = {}): Command => ({
  name: 'demo',
  description: 'demo',
  usage: 'A [B] [REST…]',
  positional: ['a', 'b'],
  args: z.strictObject({ a: text(20), b: wholeNumber(1, 10).optional() }),
  role: 'viewer',
  run: async () => ({}),
  ...over,
});

describe('parseCommandLine', () => {
  it.each([
    ['/status', 'status', ''],
    ['status', 'status', ''],
    ['  /Status  ', 'status', ''],
    ['/status@TradeOpsBot', 'status', ''],
    ['/backtest@my_bot sma-cross BTC/USDT', 'backtest', 'sma-cross BTC/USDT'],
    ['/pause\nnews\tsoon', 'pause', 'news\tsoon'],
  ])('%j → %s', (line, name, rest) => {
    expect(parseCommandLine(line)).toEqual({ name, rest });
  });

  it.each(['', '   ', '/', '/@bot', '123', '/1abc', '/bad@bot!', '/é', `/${'a'.repeat(40)}`])('%j is not a command', (line) => {
    expect(parseCommandLine(line)).toBeUndefined();
  });
});

describe('tokenize', () => {
  it('splits on whitespace and groups quotes at the start of a value', () => {
    expect(tokenize(`a  "b c" 'd e' “f g” k="x y" k2='1 2'`).map((t) => t.text)).toEqual(['a', 'b c', 'd e', 'f g', 'k=x y', 'k2=1 2']);
  });

  it('treats apostrophes inside words and unclosed quotes as characters', () => {
    expect(tokenize(`don't "stop`).map((t) => t.text)).toEqual(["don't", '"stop']);
    expect(tokenize(`it’s fine`).map((t) => t.text)).toEqual(['it’s', 'fine']);
  });

  it('unescapes inside double quotes', () => {
    expect(tokenize(String.raw`"say \"hi\" \\ now"`)[0]!.text).toBe('say "hi" \\ now');
  });

  it('marks k=v only when the = is outside quotes', () => {
    expect(tokenize('fast=10')[0]).toEqual({ text: 'fast=10', key: 'fast', value: '10' });
    expect(tokenize('"a=b"')[0]).toEqual({ text: 'a=b' });
    expect(tokenize('=5')[0]).toEqual({ text: '=5' });
    expect(tokenize('note="a = b"')[0]).toEqual({ text: 'note=a = b', key: 'note', value: 'a = b' });
  });

  it.each(['a\u0000b', 'a\u0007', '\u001b[31mred', 'x\u202ey', 'zero\u200bwidth', 'a\u2028b', 'bom\ufeff', 'lone\ud800'])('refuses control and invisible characters in %j', (input) => {
    expect(() => tokenize(input)).toThrow(/control or invisible characters/);
  });

  it('caps line length, token length and token count', () => {
    expect(() => tokenize('x'.repeat(2_001))).toThrow(/too long: at most 2000/);
    expect(() => tokenize('x'.repeat(257))).toThrow(/argument is too long/);
    expect(() => tokenize('a '.repeat(41))).toThrow(/too many arguments/);
  });

  it('throws AppError(BAD_REQUEST)', () => {
    try {
      tokenize('\u0000');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('BAD_REQUEST');
    }
  });
});

describe('mapArgs', () => {
  it('maps positional tokens in order and k=v by name', () => {
    expect(mapArgs(cmd(), tokenize('x 3'))).toEqual({ a: 'x', b: '3' });
    expect(mapArgs(cmd(), tokenize('b=3 a=x'))).toEqual({ a: 'x', b: '3' });
    expect(mapArgs(cmd(), tokenize('x b=4'))).toEqual({ a: 'x', b: '4' });
  });

  it('collects the rest for a ...key slot', () => {
    const c = cmd({ positional: ['...a'], args: z.strictObject({ a: text(50) }) });
    expect(mapArgs(c, tokenize('news  at "14:30" today'))).toEqual({ a: 'news at 14:30 today' });
  });

  it('sends unknown k=v to params when the schema has params', () => {
    const c = cmd({ args: z.strictObject({ a: text(20), params: params().optional() }) });
    expect(mapArgs(c, tokenize('x fast=5 slow=20'))).toEqual({ a: 'x', params: { fast: '5', slow: '20' } });
  });

  it('refuses unknown options, duplicates, extra words and bad keys', () => {
    expect(() => mapArgs(cmd(), tokenize('x nope=1'))).toThrow('/demo has no option "nope"; it accepts a, b');
    expect(() => mapArgs(cmd(), tokenize('x a=y'))).toThrow('A is given twice');
    expect(() => mapArgs(cmd(), tokenize('b=1 b=2'))).toThrow('b is given twice');
    expect(() => mapArgs(cmd(), tokenize('x 3 extra'))).toThrow('too many arguments for /demo ("extra" is extra) — usage: /demo A [B] [REST…]');
    expect(() => mapArgs(cmd(), tokenize('__proto__=1'))).toThrow('is not an option name');
    expect(() => mapArgs(cmd(), tokenize('constructor=1'))).toThrow('is not an option name');
  });
});

describe('validateArgs', () => {
  it('names each bad argument, says what is accepted and shows the usage', () => {
    const r = validateArgs(cmd(), { b: '0x10' });
    expect(r).toEqual({ ok: false, message: 'A is missing; B: expected a whole number from 1 to 10 — usage: /demo A [B] [REST…]' });
  });

  it('returns the transformed values', () => {
    expect(parseArgs(cmd(), 'hello 7')).toMatchObject({ ok: true, value: { a: 'hello', b: 7 } });
  });

  it('reports unknown keys of structured options', () => {
    expect(() => optionsToArgs(cmd(), { zzz: 1 })).toThrow('/demo has no option "zzz"');
    expect(validateArgs(cmd(), { a: 'x', zzz: '1' } as Record<string, unknown>)).toMatchObject({ ok: false, message: expect.stringContaining('/demo has no option "zzz"') });
  });

  it('turns structured option values into text so the same schema applies', () => {
    expect(optionsToArgs(cmd(), { a: 'x', b: 5 })).toEqual({ a: 'x', b: '5' });
    expect(validateArgs(cmd(), optionsToArgs(cmd(), { a: 'x', b: Number.NaN }))).toMatchObject({ ok: false });
    expect(() => optionsToArgs(cmd(), { a: 'bad\u0000' })).toThrow(/control/);
    expect(() => optionsToArgs(cmd(), { a: ['x'] })).toThrow(/single value/);
  });
});
