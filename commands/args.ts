import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { CONTROL_CHARS, isParamKey } from './arg-types.ts';
import type { Command } from './command.ts';

/*
 * From a line of text to a command's validated arguments, in three steps:
 *   parseCommandLine  `/backtest@MyBot sma-cross BTC/USDT 1h fast=5` → name `backtest` + the rest
 *   tokenize + mapArgs  positional tokens onto `command.positional`, `k=v` onto keys (or `params`)
 *   validateArgs       the command's zod schema; failures become one message saying what is accepted
 * Structured options (Discord slash commands) skip the first two steps via `optionsToArgs`.
 */

/** Longest line a command may be; anything longer is refused before it is tokenised. */
export const MAX_LINE_LENGTH = 2_000;
/** Longest single argument. Schemas cap their own fields lower. */
export const MAX_TOKEN_LENGTH = 256;
/** Most arguments in one line. */
export const MAX_TOKENS = 40;

const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const BOT_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** Quote pairs accepted: ASCII and the "smart" quotes phone keyboards substitute. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '„': '“', '‘': '’', '’': '’', '«': '»' };

/** One argument. `key`/`value` are set when the token is `k=v` with the `=` outside quotes. */
export interface Token {
  text: string;
  key?: string;
  value?: string;
}

export interface CommandLine {
  /** Lower-case command name without slash or `@BotName`. */
  name: string;
  /** Everything after the name, untouched. */
  rest: string;
}

function badRequest(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}

/**
 * Split off the command name: `/status`, `status`, `/Status@MyBot`, `/backtest a b`. Returns
 * undefined when the first word is not a command name (plain chat text).
 */
export function parseCommandLine(text: string): CommandLine | undefined {
  const line = text.trim();
  const m = /^\/?([^\s@]+)(?:@([^\s]*))?(?:\s+([\s\S]*))?$/.exec(line);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  if (!COMMAND_NAME.test(name)) return undefined;
  if (m[2] !== undefined && !BOT_NAME.test(m[2])) return undefined;
  return { name, rest: m[3] ?? '' };
}

/**
 * Split arguments on whitespace; quotes ("…", '…', “…”) group words at the start of a value
 * (`"two words"`, `note="two words"`); a backslash escapes the next character inside double quotes;
 * an apostrophe inside a word or a quote never closed is just a character. Control and
 * invisible format characters (bidi overrides, zero-width joiners) are refused outright: they have
 * no place in a command and are a classic way to make text read differently than it parses.
 */
export function tokenize(input: string): Token[] {
  if (input.length > MAX_LINE_LENGTH) throw badRequest(`the command is too long: at most ${MAX_LINE_LENGTH} characters`);
  const withoutSpaces = input.replace(/[\t\r\n]/g, ' ');
  if (CONTROL_CHARS.test(withoutSpaces)) throw badRequest('the command contains control or invisible characters; type it as plain text');
  const tokens: Token[] = [];
  let cur = '';
  let started = false;
  let eqAt = -1;
  const push = () => {
    if (!started) return;
    if (cur.length > MAX_TOKEN_LENGTH) throw badRequest(`an argument is too long: at most ${MAX_TOKEN_LENGTH} characters`);
    const token: Token = { text: cur };
    if (eqAt > 0) {
      token.key = cur.slice(0, eqAt);
      token.value = cur.slice(eqAt + 1);
    }
    tokens.push(token);
    if (tokens.length > MAX_TOKENS) throw badRequest(`too many arguments: at most ${MAX_TOKENS}`);
    cur = '';
    started = false;
    eqAt = -1;
  };
  const chars = [...withoutSpaces];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (/\s/u.test(ch)) {
      push();
      continue;
    }
    const close = QUOTES[ch];
    // A quote groups words only where a value starts (token start or right after `k=`) and only
    // when it is closed later; elsewhere it is a literal character, so "don't" needs no escaping.
    const atValueStart = !started || (eqAt >= 0 && cur.length === eqAt + 1);
    if (close !== undefined && atValueStart) {
      let j = i + 1;
      let value = '';
      let closed = false;
      for (; j < chars.length; j++) {
        const c = chars[j]!;
        if (c === '\\' && ch === '"' && j + 1 < chars.length) {
          value += chars[++j];
          continue;
        }
        if (c === close || (close === '”' && c === '“') || (close === '’' && c === '‘')) {
          closed = true;
          break;
        }
        value += c;
      }
      if (closed) {
        started = true;
        cur += value;
        i = j;
        continue;
      }
    }
    if (ch === '=' && eqAt < 0 && started && cur.length > 0) eqAt = cur.length;
    started = true;
    cur += ch;
  }
  push();
  return tokens;
}

/** The object schema behind a command's args (commands use z.object / z.strictObject). */
export function argsShape(command: Command): Record<string, z.ZodType> {
  const schema = command.args as unknown as { shape?: Record<string, z.ZodType> };
  return schema instanceof z.ZodObject && schema.shape ? schema.shape : {};
}

/** Positional slot names: `...reason` collects the remaining words. */
function slots(command: Command): Array<{ key: string; rest: boolean }> {
  return (command.positional ?? []).map((p) => (p.startsWith('...') ? { key: p.slice(3), rest: true } : { key: p, rest: false }));
}

/** How help names an argument: positional ones upper-case (`SYMBOL`), options as `k=`. */
export function argLabel(command: Command, key: string): string {
  const slot = slots(command).find((s) => s.key === key);
  return slot ? slot.key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() : key;
}

/**
 * Map tokens onto the command's keys: positional tokens in `command.positional` order, `k=v` by
 * name. When the schema has a `params` key, unknown `k=v` pairs go there (strategy parameters).
 */
export function mapArgs(command: Command, tokens: Token[]): Record<string, unknown> {
  const shape = argsShape(command);
  const positional = slots(command);
  const out: Record<string, unknown> = {};
  const extra: Record<string, string> = {};
  const words: string[] = [];
  for (const t of tokens) {
    if (t.key !== undefined && t.value !== undefined) {
      if (!isParamKey(t.key)) throw badRequest(`"${clip(t.key)}" is not an option name: use letters, digits and _ (e.g. fast=10)`);
      if (t.key in shape && t.key !== 'params') {
        if (t.key in out) throw badRequest(`${t.key} is given twice`);
        out[t.key] = t.value;
      } else if ('params' in shape) {
        if (t.key in extra) throw badRequest(`${t.key} is given twice`);
        extra[t.key] = t.value;
      } else {
        const accepted = Object.keys(shape);
        throw badRequest(`/${command.name} has no option "${t.key}"${accepted.length ? `; it accepts ${accepted.join(', ')}` : ' and takes no options'}`);
      }
    } else {
      words.push(t.text);
    }
  }
  let i = 0;
  for (const slot of positional) {
    if (i >= words.length) break;
    const value = slot.rest ? words.slice(i).join(' ') : words[i]!;
    i = slot.rest ? words.length : i + 1;
    if (slot.key in out) throw badRequest(`${argLabel(command, slot.key)} is given twice`);
    out[slot.key] = value;
  }
  if (i < words.length) {
    throw badRequest(`too many arguments for /${command.name} ("${clip(words[i]!)}" is extra)${command.usage !== undefined ? ` — usage: /${command.name} ${command.usage}`.trimEnd() : ''}`);
  }
  if (Object.keys(extra).length > 0) out.params = extra;
  return out;
}

/**
 * Structured options (Discord) → the same raw object `mapArgs` builds from text: scalars become
 * their text form so one schema validates both paths; unknown keys go to `params` when it exists.
 */
export function optionsToArgs(command: Command, options: Record<string, unknown>): Record<string, unknown> {
  const shape = argsShape(command);
  const out: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const scalar = (key: string, v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length > MAX_TOKEN_LENGTH * 4) throw badRequest(`${key} is too long`);
      if (CONTROL_CHARS.test(v)) throw badRequest(`${key} contains control or invisible characters`);
      return v;
    }
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NaN';
    if (typeof v === 'boolean') return String(v);
    throw badRequest(`${key}: expected a single value`);
  };
  for (const [key, v] of Object.entries(options)) {
    if (v === undefined || v === null) continue;
    if (key === 'params' && 'params' in shape) {
      if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('params: expected k=v pairs');
      for (const [k, pv] of Object.entries(v as Record<string, unknown>)) {
        if (!isParamKey(k)) throw badRequest(`"${clip(k)}" is not an option name: use letters, digits and _`);
        extra[k] = typeof pv === 'number' || typeof pv === 'boolean' ? pv : scalar(k, pv);
      }
      continue;
    }
    if (!isParamKey(key)) throw badRequest(`"${clip(key)}" is not an option name`);
    if (key in shape) out[key] = scalar(key, v);
    else if ('params' in shape) extra[key] = typeof v === 'number' || typeof v === 'boolean' ? v : scalar(key, v);
    else throw badRequest(`/${command.name} has no option "${key}"`);
  }
  if (Object.keys(extra).length > 0) out.params = extra;
  return out;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validate raw arguments with the command's schema; a failure names each argument and the usage. */
export function validateArgs<C extends Command>(command: C, raw: Record<string, unknown>): ValidationResult<z.infer<C['args']>> {
  const result = command.args.safeParse(raw);
  if (result.success) return { ok: true, value: result.data as z.infer<C['args']> };
  const problems = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      problems.add(`/${command.name} has no option ${issue.keys.map((k) => `"${clip(k)}"`).join(', ')}`);
      continue;
    }
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    const label = key ? argLabel(command, key) : '';
    if (key && issue.path.length === 1 && raw[key] === undefined) {
      problems.add(`${label} is missing`);
    } else if (key === 'params' && issue.path.length > 1) {
      problems.add(`${String(issue.path[1])}: ${issue.message}`);
    } else {
      problems.add(label ? `${label}: ${issue.message}` : issue.message);
    }
  }
  const usage = `usage: /${command.name}${command.usage ? ` ${command.usage}` : ''}`;
  return { ok: false, message: `${[...problems].join('; ')} — ${usage}` };
}

/**
 * The whole path for a typed line: tokenise, map, validate. Throws AppError(BAD_REQUEST) for
 * tokenising/mapping problems; returns a failed result for schema problems.
 */
export function parseArgs<C extends Command>(command: C, rest: string): ValidationResult<z.infer<C['args']>> & { raw: Record<string, unknown> } {
  const raw = mapArgs(command, tokenize(rest));
  return { ...validateArgs(command, raw), raw };
}

function clip(s: string, max = 24): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
