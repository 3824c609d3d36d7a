import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { ENV_DOCS } from './config-docs.ts';

const SECRET_NAME = /(SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL|SIGNAL_SOURCES)/;

/** A refused value as an error line shows it: JSON, or `(hidden)` for anything a secret variable holds. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(name) || (SECRET_VARIABLES as readonly string[]).includes(name)) return '(hidden)';
  return JSON.stringify(value);
}

/**
 * Variables holding secrets. Each also has a `<NAME>_FILE` form whose value is a path the secret is
 * read from (Docker/Kubernetes secrets under /run/secrets), so the secret never sits in the
 * environment, `docker inspect` or a compose file.
 */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'EXCHANGE_API_KEY',
  'EXCHANGE_API_SECRET',
  'EXCHANGE_API_PASSWORD',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_BOT_TOKEN',
  'DISCORD_WEBHOOK_URL',
  'LINE_CHANNEL_SECRET',
  'LINE_CHANNEL_ACCESS_TOKEN',
  'METRICS_TOKEN',
  'SIGNAL_SECRET',
  'SIGNAL_SOURCES',
  'HEARTBEAT_URL',
] as const;

/** Replace every `<NAME>_FILE` of `names` by the file's content (one trailing newline dropped); problems name the variable. */
function readSecretFiles(env: Record<string, string | undefined>, names: readonly string[], problems: string[]): void {
  for (const name of names) {
    const path = env[`${name}_FILE`];
    if (path === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}_FILE: got ${JSON.stringify(path)} — ${name} is set too; set one of ${name} and ${name}_FILE, not both`);
      continue;
    }
    try {
      const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      if (value.length === 0) problems.push(`${name}_FILE: got ${JSON.stringify(path)} — the file is empty; expected a file holding the secret`);
      else env[name] = value;
    } catch (err) {
      problems.push(`${name}_FILE: got ${JSON.stringify(path)} — cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a readable file holding the secret`);
    }
  }
}

/**
 * Validate the environment with a schema over the variables of `shape` (the whole configuration,
 * src/config.ts, or the part a backtest reads, src/config-backtest.ts): empty values count as unset,
 * the `<NAME>_FILE` form of each secret among them is read, and every problem is reported at once as
 * a ConfigError naming the variable, the value it got (secrets hidden) and what it accepts.
 */
export function validateEnv<S extends z.ZodType>(schema: S, shape: object, env: Record<string, string | undefined>): z.output<S> {
  const cleaned: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) cleaned[k] = v === '' ? undefined : v;
  const fileProblems: string[] = [];
  readSecretFiles(cleaned, SECRET_VARIABLES.filter((name) => name in shape), fileProblems);
  const result = schema.safeParse(cleaned);
  if (fileProblems.length > 0 && result.success) throw new ConfigError(fileProblems);
  if (!result.success) {
    const problems = [...fileProblems, ...result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(config)');
      const got = cleaned[name] ?? ENV_DOCS[name]?.default; // defaults apply when unset
      return `${name}: got ${shown(name, got === '' ? undefined : got)} — ${issue.message}`;
    })];
    throw new ConfigError(problems);
  }
  return result.data;
}
