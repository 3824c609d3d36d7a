import { z } from 'zod';
import { TIMEFRAME_PATTERN } from '../src/domain/timeframe.ts';

/*
 * Shared zod pieces for command arguments. Every piece takes the *text* a user typed (or a Discord
 * option turned into text by the router) and is deliberately narrower than JavaScript's own parsing:
 * `Number('0x10')` is 16, `Number('')` is 0, `Number('1e309')` is Infinity, `parseInt('١٢')` is NaN
 * but `/\d/u` matches Arabic-Indic digits — so numbers are matched against ASCII-only patterns first
 * and converted after. Messages say what *is* accepted, because that is what the user needs next.
 */

/**
 * Control characters (C0/C1), invisible format characters (bidi overrides, zero-width joiners), line
 * separators and lone surrogates (not text at all: JSON and Postgres refuse them).
 */
export const CONTROL_CHARS = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

const DECIMAL = /^-?[0-9]{1,15}(\.[0-9]{1,12})?$/;
const WHOLE = /^-?[0-9]{1,16}$/;

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US').replace(/,/g, ' ') : String(n);
}

/** A string with a length cap and no control characters. */
export function text(maxLength: number, what = 'text') {
  return z
    .string()
    .max(maxLength, { message: `expected ${what} of at most ${maxLength} characters` })
    .refine((s) => !CONTROL_CHARS.test(s), { message: `expected ${what} without control characters` })
    .describe(`${what} (≤ ${maxLength} characters)`);
}

/**
 * A finite decimal number within [min, max]: ASCII digits, an optional minus sign (only when `min`
 * is negative) and an optional decimal point. No exponent, hex, grouping commas, `NaN`, `Infinity`.
 */
export function decimal(min: number, max: number, what = 'a number') {
  const message = `expected ${what} from ${fmt(min)} to ${fmt(max)} (digits with an optional decimal point, e.g. 0.5)`;
  return z
    .string()
    .max(32, { message })
    .refine((s) => DECIMAL.test(s) && (min < 0 || !s.startsWith('-')), { message })
    .transform((s) => Number(s))
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, { message })
    .describe(`${what}, ${fmt(min)} to ${fmt(max)}`);
}

/** A whole number within [min, max] (both safe integers), ASCII digits only. */
export function wholeNumber(min: number, max: number, what = 'a whole number') {
  const message = `expected ${what} from ${fmt(min)} to ${fmt(max)}`;
  return z
    .string()
    .max(20, { message })
    .refine((s) => WHOLE.test(s) && (min < 0 || !s.startsWith('-')), { message })
    .transform((s) => Number(s))
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, { message })
    .describe(`${what}, ${fmt(min)} to ${fmt(max)}`);
}

/** A row id (backtest run, audit entry): a positive safe integer. */
export function id(what = 'an id') {
  return wholeNumber(1, Number.MAX_SAFE_INTEGER, what);
}

/** One of a fixed set of lowercase words; typed case-insensitively. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, what = 'one of') {
  const list = values.length === 2 ? `${values[0]} or ${values[1]}` : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  const message = `expected ${list}`;
  return z
    .string()
    .max(32, { message })
    .transform((s) => (/^[\x20-\x7e]*$/.test(s) ? s.toLowerCase() : s))
    .refine((s): s is T[number] => (values as readonly string[]).includes(s), { message })
    .transform((s) => s as T[number])
    .describe(`${what} ${list}`);
}

/** A yes/no switch: `on`/`off`, `true`/`false`, `yes`/`no` (any case) → boolean (Discord: a boolean option). */
export function flag(what = 'on or off') {
  const message = 'expected on or off (also true/false, yes/no)';
  return z
    .union([z.boolean(), z.string().max(8, { message })])
    .transform((v, ctx): boolean => {
      if (typeof v === 'boolean') return v;
      const s = v.toLowerCase();
      if (s === 'on' || s === 'true' || s === 'yes') return true;
      if (s === 'off' || s === 'false' || s === 'no') return false;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .describe(what);
}

const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?(Z|\+00:00|\+0000)?)?$/;
const DATE_MESSAGE = 'expected a real UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS][Z], e.g. 2024-01-31 or 2024-01-31T12:00Z';

/**
 * Parse a UTC date or date-time to epoch ms, or undefined when it is not a real one (`2024-02-30`,
 * `25:00`) or carries a non-UTC offset. Years 1970–2199.
 */
export function parseUtcDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(sec ?? 0);
  if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number((frac ?? '0').padEnd(3, '0')));
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March 1st: a round trip tells real dates from rolled ones.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms;
}

/** A real UTC date or date-time → epoch ms. */
export function utcDate(what = 'a date') {
  return z
    .string()
    .max(32, { message: DATE_MESSAGE })
    .transform((s, ctx) => {
      const ms = parseUtcDate(s);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: DATE_MESSAGE });
        return z.NEVER;
      }
      return ms;
    })
    .describe(`${what}, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC)`);
}

/** A candle timeframe in ccxt notation: 1m, 15m, 4h, 1d, 1w. */
export function timeframe() {
  const message = 'expected a timeframe: a number and one of s, m, h, d, w (e.g. 1m, 15m, 4h, 1d)';
  return z
    .string()
    .max(8, { message })
    .refine((s) => TIMEFRAME_PATTERN.test(s), { message })
    .describe('timeframe, e.g. 1m, 15m, 1h, 4h, 1d');
}

const SYMBOL_RE = /^[A-Za-z0-9]{2,20}\/[A-Za-z0-9]{2,20}(:[A-Za-z0-9]{2,20})?$/;

/**
 * A market symbol BASE/QUOTE (swap: BASE/QUOTE:SETTLE), ASCII letters and digits only, returned
 * upper-case. The ASCII test runs *before* upper-casing: `'ı'.toUpperCase()` is an ASCII `I`, and a
 * Cyrillic `В` looks like a Latin B — neither may slip through. Whether the exchange lists the symbol
 * is checked by the command against `services.symbols()`.
 */
export function symbol() {
  const message = 'expected a symbol such as BTC/USDT (ASCII letters and digits, BASE/QUOTE)';
  return z
    .string()
    .max(64, { message })
    .refine((s) => SYMBOL_RE.test(s), { message })
    .transform((s) => s.toUpperCase())
    .describe('symbol, e.g. BTC/USDT');
}

const STRATEGY_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** A strategy name: ASCII letters, digits and dashes, returned lower-case. */
export function strategyName() {
  const message = 'expected a strategy name (letters, digits and dashes, e.g. sma-cross) — /strategies lists them';
  return z
    .string()
    .max(64, { message })
    .refine((s) => STRATEGY_RE.test(s), { message })
    .transform((s) => s.toLowerCase())
    .describe('strategy name, e.g. sma-cross');
}

const PARAM_KEY_RE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const PARAM_WORD_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const RESERVED_KEYS = new Set(['constructor', 'prototype', 'tostring', 'valueof', 'hasownproperty']);
const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

/** Whether `key` may name a k=v option (letters, digits, underscore; not an Object.prototype name). */
export function isParamKey(key: string): boolean {
  return PARAM_KEY_RE.test(key) && !RESERVED_KEYS.has(key.toLowerCase());
}

/**
 * The value of a free `k=v` parameter (strategy parameters of `/backtest`): a strict decimal becomes
 * a number, `true`/`false` a boolean, a word (letter first: `ema`, `close`) stays text. Anything else
 * — `1e3`, `0x10`, `1,000`, `NaN`, `Infinity`, other scripts — is refused.
 */
export function paramValue() {
  const message = 'expected a number (digits, optional minus and decimal point), true/false or a word starting with a letter';
  // z.unknown rather than a union: zod's number type refuses Infinity before our message could.
  return z
    .unknown()
    .transform((v, ctx): number | boolean | string => {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) return v;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      if (typeof v !== 'string') {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      if (DECIMAL.test(v)) {
        const n = Number(v);
        if (Number.isFinite(n)) return n;
      }
      if (v === 'true' || v === 'false') return v === 'true';
      if (PARAM_WORD_RE.test(v) && !NON_FINITE_WORD.test(v)) return v;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
}

/** Free `k=v` parameters: at most `max` keys, keys as in {@link isParamKey}. */
export function params(max = 20) {
  return z
    .record(z.string(), paramValue())
    .refine((r) => Object.keys(r).length <= max, { message: `expected at most ${max} k=v parameters` })
    .refine((r) => Object.keys(r).every(isParamKey), { message: 'parameter names are letters, digits and _ (starting with a letter)' })
    .describe('strategy parameters as k=v');
}

/** A confirmation code as shown in the Confirm button: 6 characters A–Z, 2–9, typed in any case. */
export function confirmationCode() {
  const message = 'expected the 6-character code from the confirmation message, e.g. 4F7K2Q';
  return z
    .string()
    .max(16, { message })
    .refine((s) => /^[A-Za-z0-9]{6}$/.test(s), { message })
    .transform((s) => s.toUpperCase())
    .describe('confirmation code');
}
