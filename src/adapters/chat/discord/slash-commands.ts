import { z } from 'zod';
import type { Command } from '../../../../commands/command.ts';

/** Discord application command option types used here. */
export const OPTION_TYPE = { string: 3, integer: 4, boolean: 5, number: 10 } as const;
type OptionType = (typeof OPTION_TYPE)[keyof typeof OPTION_TYPE];

export interface SlashOption {
  type: OptionType;
  name: string;
  description: string;
  required: boolean;
  choices?: Array<{ name: string; value: string | number }>;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  /** Values are suggested while typing (an APPLICATION_COMMAND_AUTOCOMPLETE interaction). */
  autocomplete?: boolean;
}

export interface SlashCommandDefinition {
  type: 1;
  name: string;
  description: string;
  options: SlashOption[];
  /**
   * Discord shows the command only to members holding these permissions (a bit set as a string);
   * admin commands need Administrator. The router still checks CHAT_USERS roles on every use.
   */
  default_member_permissions?: string;
}

/** Discord's ADMINISTRATOR permission bit (1 << 3). */
export const ADMINISTRATOR_PERMISSION = '8';

/** Options whose values Discord suggests while typing: schema key → what is suggested. */
export const AUTOCOMPLETE_KEYS: Readonly<Record<string, 'strategy' | 'symbol'>> = { strategy: 'strategy', symbol: 'symbol', target: 'symbol' };

/** How a slash command's options map back onto the command's schema keys. */
export interface SlashMapping {
  command: string;
  /** Discord option name → schema key and how to convert the value. */
  options: Map<string, { key: string; kind: 'scalar' | 'object' | 'array' }>;
  /** Schema keys in positional order (for an audit-friendly text line). */
  positional: string[];
}

export interface SlashCommands {
  definitions: SlashCommandDefinition[];
  mappings: Map<string, SlashMapping>;
}

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
const SAFE = Number.MAX_SAFE_INTEGER;

interface JsonProp {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonProp[];
  oneOf?: JsonProp[];
}

/** `fromDate` → `from_date`; anything Discord does not accept becomes `_`. */
export function optionName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^-_\p{L}\p{N}]/gu, '_')
    .slice(0, 32);
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function enumValues(p: JsonProp): unknown[] | undefined {
  if (Array.isArray(p.enum)) return p.enum;
  if (p.const !== undefined) return [p.const];
  const alts = p.anyOf ?? p.oneOf;
  if (alts && alts.every((a) => Array.isArray(a.enum) || a.const !== undefined)) return alts.flatMap((a) => enumValues(a) ?? []);
  return undefined;
}

function primaryType(p: JsonProp): string | undefined {
  const t = Array.isArray(p.type) ? p.type.filter((x) => x !== 'null') : p.type ? [p.type] : [];
  if (t.length === 1) return t[0];
  const alts = p.anyOf ?? p.oneOf;
  if (alts) {
    const types = new Set(alts.map(primaryType).filter((x) => x !== 'null'));
    if (types.size === 1) return [...types][0];
  }
  return t.length > 1 ? 'string' : undefined;
}

type Probe = { safeParse(v: unknown): { success: boolean; data?: unknown } };

/** The property schemas of an object schema (through pipes), or undefined. */
function objectShape(schema: unknown): Record<string, Probe> | undefined {
  const s = schema as { shape?: Record<string, Probe>; _zod?: { def?: { type?: string; in?: unknown } } };
  if (s?.shape && typeof s.shape === 'object') return s.shape;
  if (s?._zod?.def?.type === 'pipe') return objectShape(s._zod.def.in);
  return undefined;
}

const accepts = (schema: Probe, text: string): unknown => {
  const r = schema.safeParse(text);
  return r.success ? r.data : undefined;
};

/**
 * What a text-typed argument really is. Command schemas read text (the router turns Discord options
 * into text too) and convert it, so the JSON Schema of their input says "string" for a number. A few
 * probes tell numbers, whole numbers and booleans apart; bounds of a whole number are found by
 * bisection (the accepted set of a range check is an interval).
 */
function probeType(schema: Probe | undefined): { type: 'integer' | 'number' | 'boolean'; min?: number; max?: number } | undefined {
  if (!schema) return undefined;
  if (accepts(schema, 'true') === true && accepts(schema, 'false') === false) return { type: 'boolean' };
  const candidates = ['1', '0', '2', '5', '7', '10', '24', '30', '50', '60', '100', '1000', '10000', '-1', '0.5', '1.5'];
  const hit = candidates.find((c) => typeof accepts(schema, c) === 'number');
  if (hit === undefined) return undefined;
  const anchor = Number(hit);
  if (!Number.isInteger(anchor) || typeof accepts(schema, `${Math.trunc(anchor)}.5`) === 'number' || typeof accepts(schema, '0.5') === 'number') return { type: 'number' };
  const ok = (n: number) => typeof accepts(schema, String(n)) === 'number';
  const LIMIT = 2 ** 53 - 1;
  const bound = (dir: -1 | 1): number | undefined => {
    const far = dir * LIMIT;
    if (ok(far)) return undefined;
    let inside = anchor;
    let outside = far;
    while (Math.abs(outside - inside) > 1) {
      const mid = Math.trunc((inside + outside) / 2);
      if (ok(mid)) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return { type: 'integer', min: bound(-1), max: bound(1) };
}

/**
 * Choices of a closed word list whose schema only refines a string (so JSON Schema has no `enum`):
 * the candidates are the list its description ends with ("period: day, week or month"), and each must
 * be accepted by the schema while an arbitrary word is refused — the schema, not the text, decides.
 */
function probeChoices(schema: Probe | undefined, description: string | undefined): string[] | undefined {
  if (!schema || !description) return undefined;
  if (accepts(schema, 'zz-not-a-choice-9') !== undefined || schema.safeParse('zz-not-a-choice-9').success) return undefined;
  const parts = description.split(/,\s*|\s+or\s+/).map((x) => x.trim());
  if (parts.length < 2) return undefined;
  parts[0] = parts[0].split(/\s+/).pop() ?? '';
  if (!parts.every((w) => /^[A-Za-z0-9_-]{1,100}$/.test(w))) return undefined;
  const words = [...new Set(parts)];
  if (words.length > 25 || !words.every((w) => schema.safeParse(w).success)) return undefined;
  return words;
}

function toOption(key: string, p: JsonProp, required: boolean, schema?: Probe): { option: SlashOption; kind: 'scalar' | 'object' | 'array' } {
  const name = optionName(key);
  const description = clip(p.description?.trim() || key, 100);
  const values = enumValues(p) ?? (primaryType(p) === 'string' ? probeChoices(schema, p.description) : undefined);
  const probed = primaryType(p) === 'string' && !values ? probeType(schema) : undefined;
  if (probed?.type === 'integer' || probed?.type === 'boolean') {
    const option: SlashOption = { type: probed.type === 'integer' ? OPTION_TYPE.integer : OPTION_TYPE.boolean, name, description, required };
    if (probed.min !== undefined) option.min_value = probed.min;
    if (probed.max !== undefined) option.max_value = probed.max;
    return { option, kind: 'scalar' };
  }
  if (probed?.type === 'number') return { option: { type: OPTION_TYPE.number, name, description, required }, kind: 'scalar' };
  const type = primaryType(p);
  if (values && values.length > 0 && values.length <= 25 && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
    const allInt = values.every((v) => typeof v === 'number' && Number.isInteger(v));
    const allNum = values.every((v) => typeof v === 'number');
    const optType = allInt ? OPTION_TYPE.integer : allNum ? OPTION_TYPE.number : OPTION_TYPE.string;
    return {
      option: {
        type: optType,
        name,
        description,
        required,
        choices: values.map((v) => ({ name: clip(String(v), 100), value: optType === OPTION_TYPE.string ? clip(String(v), 100) : (v as number) })),
      },
      kind: 'scalar',
    };
  }
  if (type === 'integer' || type === 'number') {
    const option: SlashOption = { type: type === 'integer' ? OPTION_TYPE.integer : OPTION_TYPE.number, name, description, required };
    const min = p.minimum ?? p.exclusiveMinimum;
    const max = p.maximum ?? p.exclusiveMaximum;
    if (typeof min === 'number' && Math.abs(min) <= SAFE) option.min_value = type === 'integer' && p.exclusiveMinimum !== undefined && p.minimum === undefined ? min + 1 : min;
    if (typeof max === 'number' && Math.abs(max) <= SAFE) option.max_value = type === 'integer' && p.exclusiveMaximum !== undefined && p.maximum === undefined ? max - 1 : max;
    return { option, kind: 'scalar' };
  }
  if (type === 'boolean') return { option: { type: OPTION_TYPE.boolean, name, description, required }, kind: 'scalar' };
  const option: SlashOption = { type: OPTION_TYPE.string, name, description, required };
  if (type === 'object' || type === 'array') {
    option.description = clip(`${description} (${type === 'object' ? 'k=v k=v' : 'space-separated'})`, 100);
    return { option, kind: type };
  }
  if (AUTOCOMPLETE_KEYS[key]) option.autocomplete = true;
  if (typeof p.minLength === 'number' && p.minLength <= 6000) option.min_length = p.minLength;
  if (typeof p.maxLength === 'number' && p.maxLength >= 1 && p.maxLength <= 6000) option.max_length = p.maxLength;
  return { option, kind: 'scalar' };
}

/**
 * Slash-command definitions generated from the commands' zod schemas (the input side, before
 * transforms): string/integer/number/boolean options, choices from enums, descriptions from
 * `.describe()`, required unless optional or defaulted, numeric bounds and string lengths. Required
 * options come first (Discord's rule), positional ones in their usage order. A schema that cannot be
 * expressed gets one free-text `args` option parsed like a typed line.
 */
export function buildSlashCommands(commands: readonly Command[]): SlashCommands {
  const definitions: SlashCommandDefinition[] = [];
  const mappings = new Map<string, SlashMapping>();
  for (const c of commands.slice(0, 100)) {
    const name = c.name.toLowerCase();
    if (!NAME.test(name)) continue;
    const mapping: SlashMapping = { command: c.name, options: new Map(), positional: c.positional ?? [] };
    let options: SlashOption[] = [];
    try {
      const schema = z.toJSONSchema(c.args, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProp>; required?: string[] };
      const props = schema.properties ?? {};
      const shape = objectShape(c.args);
      const required = new Set(schema.required ?? []);
      const order = [...(c.positional ?? []).filter((k) => k in props), ...Object.keys(props).filter((k) => !(c.positional ?? []).includes(k))];
      for (const key of order) {
        const { option, kind } = toOption(key, props[key], required.has(key), shape?.[key]);
        if (mapping.options.has(option.name)) continue;
        mapping.options.set(option.name, { key, kind });
        options.push(option);
      }
    } catch {
      options = [{ type: OPTION_TYPE.string, name: 'args', description: clip(c.usage ?? 'arguments', 100), required: false }];
      mapping.options.set('args', { key: '*', kind: 'scalar' });
    }
    options = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)].slice(0, 25);
    const definition: SlashCommandDefinition = { type: 1, name, description: clip(c.description || c.name, 100), options };
    if (c.role === 'admin' && !c.public) definition.default_member_permissions = ADMINISTRATOR_PERMISSION;
    definitions.push(definition);
    mappings.set(name, mapping);
  }
  return { definitions, mappings };
}

function parsePairs(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const v = part.slice(eq + 1);
    out[part.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

/**
 * Interaction options → the router's input: `options` keyed by schema key, and a readable command
 * line for the audit log. The free-text fallback becomes a plain line with no structured options.
 */
export function interactionToInput(
  mapping: SlashMapping,
  given: Array<{ name: string; value?: unknown }> | undefined,
): { text: string; options?: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  let free: string | undefined;
  for (const o of given ?? []) {
    const m = mapping.options.get(o.name);
    if (!m || o.value === undefined) continue;
    if (m.key === '*') free = String(o.value);
    else if (m.kind === 'object') options[m.key] = parsePairs(String(o.value));
    else if (m.kind === 'array') options[m.key] = String(o.value).split(/[\s,]+/).filter(Boolean);
    else options[m.key] = o.value;
  }
  if (free !== undefined) return { text: `/${mapping.command} ${free}`.trim() };
  const shown = [
    ...mapping.positional.filter((k) => k in options).map((k) => String(options[k])),
    ...Object.entries(options)
      .filter(([k]) => !mapping.positional.includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
  ];
  return { text: [`/${mapping.command}`, ...shown].join(' '), options };
}
