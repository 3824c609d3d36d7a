import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isTimeframe } from './domain/timeframe.ts';
import { ENV_DOCS, ENV_SCHEMA_SHAPE } from './config-schema.ts';
import { parseSignalSources } from './signals/sources.ts';

/**
 * The only reader of process.env. The environment (plus a `.env` file when present) is validated
 * once at start; a bad value stops the process with a message naming the variable, the value it got
 * and what it accepts.
 */
export const envSchema = z.object(ENV_SCHEMA_SHAPE).superRefine((env, ctx) => {
  if (env.MODE === 'live') {
    if (env.LIVE_TRADING_ACK !== 'yes') {
      ctx.addIssue({ code: 'custom', path: ['LIVE_TRADING_ACK'], message: 'live mode trades real money: set LIVE_TRADING_ACK=yes to confirm' });
    }
    if (env.EXCHANGE === 'sim') {
      ctx.addIssue({ code: 'custom', path: ['EXCHANGE'], message: 'live mode needs a real exchange id (binance, bybit, okx, …), not sim' });
    }
    if (!env.EXCHANGE_API_KEY) ctx.addIssue({ code: 'custom', path: ['EXCHANGE_API_KEY'], message: 'live mode needs exchange API credentials' });
    if (!env.EXCHANGE_API_SECRET) ctx.addIssue({ code: 'custom', path: ['EXCHANGE_API_SECRET'], message: 'live mode needs exchange API credentials' });
  }
  for (const tf of [env.TIMEFRAME]) {
    if (!isTimeframe(tf)) ctx.addIssue({ code: 'custom', path: ['TIMEFRAME'], message: 'expected a timeframe such as 1m, 5m, 1h, 4h, 1d' });
  }
  if (env.SIGNAL_SOURCES) {
    try {
      parseSignalSources(env.SIGNAL_SECRET, env.SIGNAL_SOURCES, env.SIGNAL_RATE_LIMIT);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['SIGNAL_SOURCES'], message: (err as Error).message });
    }
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'webhook mode (TELEGRAM_WEBHOOK_URL set) requires a secret token' });
  }
});

export type Config = z.infer<typeof envSchema> & {
  /** Absolute data directory. */
  dataDir: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET_NAME = /(SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL|SIGNAL_SOURCES)/;

function shown(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if ((SECRET_NAME.test(name) || (SECRET_VARIABLES as readonly string[]).includes(name)) && typeof value === 'string' && value.length > 0) return '(hidden)';
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

/** Replace every `<NAME>_FILE` by the file's content (one trailing newline dropped); problems name the variable. */
function readSecretFiles(env: Record<string, string | undefined>, problems: string[]): void {
  for (const name of SECRET_VARIABLES) {
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

/** Parse and validate configuration. `env` defaults to process.env plus ./.env when present. */
export function loadConfig(env?: Record<string, string | undefined>): Config {
  env ??= readEnv();
  const cleaned: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) cleaned[k] = v === '' ? undefined : v;
  const fileProblems: string[] = [];
  readSecretFiles(cleaned, fileProblems);
  const result = envSchema.safeParse(cleaned);
  if (fileProblems.length > 0 && result.success) throw new ConfigError(fileProblems);
  if (!result.success) {
    const problems = [...fileProblems, ...result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(config)');
      const got = cleaned[name] ?? ENV_DOCS[name]?.default; // defaults apply when unset
      return `${name}: got ${shown(name, got === '' ? undefined : got)} — ${issue.message}`;
    })];
    throw new ConfigError(problems);
  }
  return { ...result.data, dataDir: resolve(result.data.DATA_DIR) };
}

/** process.env, with ./.env (or ENV_FILE) loaded underneath it when the file exists. */
export function readEnv(): Record<string, string | undefined> {
  const file = process.env.ENV_FILE ?? '.env';
  if (existsSync(file)) {
    try {
      process.loadEnvFile(file);
    } catch (err) {
      throw new ConfigError([`ENV_FILE: cannot read ${file}: ${(err as Error).message}`]);
    }
  }
  return process.env;
}
