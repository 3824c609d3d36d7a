import { z } from 'zod';
import { argLabel, argsShape } from './args.ts';
import type { Command, Role } from './command.ts';

/** One argument as help and the docs show it. */
export interface ArgumentDescription {
  key: string;
  /** `SYMBOL` for positional arguments, the key for `k=v` options. */
  label: string;
  required: boolean;
  positional: boolean;
  /** How to type it: `SYMBOL`, `n=…`, `k=v …` (free strategy parameters). */
  display: string;
  /** What is accepted, from the schema's description. */
  accepts: string;
}

/** A command as help, the README reference and docs/commands.md describe it. */
export interface CommandDescription {
  name: string;
  role: Role;
  public: boolean;
  confirm: boolean;
  slow: boolean;
  /** Trades or changes trading: a standby process refuses it. */
  leaderOnly: boolean;
  description: string;
  /** `/backtest STRATEGY SYMBOL TIMEFRAME [FROM] [TO] [k=v …]` */
  usage: string;
  args: ArgumentDescription[];
  examples: string[];
}

interface JsonProp {
  description?: string;
  anyOf?: JsonProp[];
}

/** Describe one command from its metadata and zod schema (descriptions come from `.describe()`). */
export function describeCommand(c: Command): CommandDescription {
  const shape = argsShape(c);
  let props: Record<string, JsonProp> = {};
  let required = new Set<string>();
  try {
    const schema = z.toJSONSchema(c.args, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProp>; required?: string[] };
    props = schema.properties ?? {};
    required = new Set(schema.required ?? []);
  } catch {
    // A schema JSON Schema cannot express still validates; help then lists keys without descriptions.
  }
  const positional = (c.positional ?? []).map((p) => p.replace(/^\.\.\./, ''));
  const keys = [...positional.filter((k) => k in shape), ...Object.keys(shape).filter((k) => !positional.includes(k))];
  return {
    name: c.name,
    role: c.role,
    public: c.public === true,
    confirm: c.confirm !== undefined,
    slow: c.slow === true,
    leaderOnly: c.leaderOnly === true,
    description: c.description,
    usage: `/${c.name}${c.usage ? ` ${c.usage}` : ''}`,
    args: keys.map((key) => {
      const p = props[key] ?? {};
      const isPositional = positional.includes(key);
      return {
        key,
        label: argLabel(c, key),
        display: isPositional ? argLabel(c, key) : key === 'params' ? 'k=v …' : `${key}=…`,
        required: required.has(key),
        positional: isPositional,
        accepts: p.description ?? p.anyOf?.find((a) => a.description)?.description ?? '',
      };
    }),
    examples: c.examples ?? [],
  };
}

export function describeAll(commands: readonly Command[]): CommandDescription[] {
  return commands.map(describeCommand);
}

const ROLE_TITLE: Record<Role, string> = { viewer: 'viewer', trader: 'trader', admin: 'admin' };

/** The command reference as Markdown (docs/commands.md is this text; a test keeps them in sync). */
export function commandsMarkdown(descriptions: readonly CommandDescription[]): string {
  const lines: string[] = [];
  for (const d of descriptions) {
    lines.push(`### \`/${d.name}\``, '');
    lines.push(d.description, '');
    const who = d.public ? `anyone (also users not on the allow-list)` : `${ROLE_TITLE[d.role]} and above`;
    lines.push(`- Usage: \`${d.usage}\``);
    lines.push(`- Role: ${who}${d.confirm ? ' — asks for confirmation first' : ''}${d.slow ? ' — slow: answers at once, the result follows' : ''}${d.leaderOnly ? ' — leader only: a standby process answers that it is a standby' : ''}`);
    if (d.args.length > 0) {
      lines.push('- Arguments:');
      for (const a of d.args) lines.push(`  - \`${a.display}\`${a.required ? '' : ' (optional)'}: ${a.accepts || 'see usage'}`);
    }
    if (d.examples.length > 0) lines.push(`- Examples: ${d.examples.map((e) => `\`${e}\``).join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The README's compact command reference: one row per command (details in docs/commands.md). */
export function commandsTable(descriptions: readonly CommandDescription[]): string {
  const role = (d: CommandDescription) => (d.public ? 'anyone' : d.role);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = descriptions.map(
    (d) => `| \`${cell(d.usage)}\` | ${role(d)}${d.confirm ? ', confirm' : ''}${d.leaderOnly ? ', leader only' : ''} | ${cell(d.description)} | ${d.examples.map((e) => `\`${cell(e)}\``).join(' ')} |`,
  );
  return ['| Command | Role | What it does | Examples |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
