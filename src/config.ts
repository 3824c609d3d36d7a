import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isTimeframe } from './domain/timeframe.ts';
import { ENV_DOCS, ENV_SCHEMA_SHAPE } from './config-schema.ts';

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

const SECRET_NAME = /(SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL)/;

function shown(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(name) && typeof value === 'string' && value.length > 0) return '(hidden)';
  return JSON.stringify(value);
}

/** Parse and validate configuration. `env` defaults to process.env plus ./.env when present. */
export function loadConfig(env?: Record<string, string | undefined>): Config {
  env ??= readEnv();
  const cleaned: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) cleaned[k] = v === '' ? undefined : v;
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(config)');
      const got = cleaned[name] ?? ENV_DOCS[name]?.default; // defaults apply when unset
      return `${name}: got ${shown(name, got === '' ? undefined : got)} — ${issue.message}`;
    });
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
