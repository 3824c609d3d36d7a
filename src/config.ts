import { resolve } from 'node:path';
import { z } from 'zod';
import { isTimeframe } from './domain/timeframe.ts';
import { ENV_SCHEMA_SHAPE } from './config-schema.ts';
import { validateEnv } from './config-parse.ts';
import { readEnv } from './env-file.ts';
import { parseSignalSources } from './signals/sources.ts';

export { ConfigError } from './config-error.ts';
export { SECRET_VARIABLES } from './config-parse.ts';
export { readEnv, rereadEnv } from './env-file.ts';

/**
 * The whole configuration: the environment (plus a `.env` file when present, src/env-file.ts, the
 * only reader of process.env) is validated once at start; a bad value stops the process with a
 * message naming the variable, the value it got and what it accepts. `tradeops backtest` validates
 * only the variables it reads (src/config-backtest.ts, the same fields), without this schema.
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

/** Parse and validate configuration. `env` defaults to process.env plus ./.env when present. */
export function loadConfig(env?: Record<string, string | undefined>): Config {
  const data = validateEnv(envSchema, ENV_SCHEMA_SHAPE, env ?? readEnv());
  return { ...data, dataDir: resolve(data.DATA_DIR) };
}
