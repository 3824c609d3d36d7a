import { z } from 'zod';

/**
 * The zod builders of the configuration's value kinds (whole and decimal numbers in a range, booleans,
 * URLs, lists, JSON objects): each takes the text of one environment variable. Shared by the full
 * schema (config-schema.ts) and the backtest's part of it (config-backtest.ts).
 */

export const int = (min: number, max: number, def: number) =>
  z
    .string()
    .default(String(def))
    .refine((s) => /^-?[0-9]+$/.test(s.trim()), { message: `expected a whole number from ${min} to ${max}` })
    // Number() ignores the blanks around the digits, as the test above does.
    .transform((s) => Number(s))
    .refine((n) => n >= min && n <= max, { message: `expected a whole number from ${min} to ${max}` });

export const num = (min: number, max: number, def: number) =>
  z
    .string()
    .default(String(def))
    .refine((s) => /^-?[0-9]+(\.[0-9]+)?$/.test(s.trim()), { message: `expected a decimal number from ${min} to ${max}` })
    .transform((s) => Number(s))
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, { message: `expected a decimal number from ${min} to ${max}` });

export const bool = (def: boolean) =>
  z
    .string()
    .default(String(def))
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), { message: 'expected true or false' })
    .transform((s) => s === 'true' || s === '1' || s === 'yes');

export const url = (protocols: string[]) =>
  z
    .string()
    .refine((s) => URL.canParse(s) && protocols.includes(new URL(s).protocol), {
      message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    });

export const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const json = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s, ctx) => {
      const v = parsedJson(s);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object such as {"fast":10,"slow":30}' });
      return z.NEVER;
    });

/** The JSON value of `s`, or undefined when it is not JSON. */
function parsedJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}
