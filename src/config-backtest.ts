import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, int, num, url } from './config-fields.ts';
import { validateEnv } from './config-parse.ts';
import { readEnv } from './env-file.ts';

/**
 * The configuration variables `tradeops backtest` reads — where its data and database are, the
 * exchange and seed of stored or simulated candles, strategy files, the risk limits and protections
 * (`--risk`) and Kelly sizing (`--sizing kelly`) — as the fields of the whole schema: that schema
 * (src/config-schema.ts) takes these same objects, so a value is accepted, parsed and refused with
 * the same message by both (tests/unit/config-backtest.test.ts).
 *
 * A backtest validates only these: building and running the whole schema (its ~120 variables, the
 * cross-checks of live mode, signal sources and webhooks, node-cron for TICK_CRON) was a few MiB of a
 * file backtest's peak memory and ~10 ms (docs/performance.md, "Files and bulk loads"). The bot
 * (`start`) and the other commands validate everything, as before.
 */
export const BACKTEST_ENV_SHAPE = {
  // In the order of the whole schema, so that several problems are listed in the same order.
  // The database (--save, --queue, stored candles); the exchange and market of stored or simulated
  // candles; strategy files; the size Kelly sizing falls back to; the simulated market's seed.
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  EXCHANGE: z
    .string()
    .default('sim')
    .refine((s) => /^[a-z0-9]+$/.test(s), { message: 'expected sim or a ccxt exchange id (lowercase letters and digits, e.g. binance)' }),
  EXCHANGE_MARKET: z.enum(['spot', 'swap'], { message: 'expected spot or swap' }).default('spot'),
  STRATEGIES_DIR: z.string().optional(),
  ORDER_SIZE_PCT: num(0.01, 100, 10),
  SIM_SEED: int(0, 2 ** 31 - 1, 42),
  // --risk: the live limits and protections (src/app/risk-settings.ts)
  FACTOR_MAX_AGE: int(1, 86_400 * 30, 3600),
  MAX_POSITION_PCT: num(0.01, 100, 25),
  MAX_ORDER_NOTIONAL: num(0, 1e12, 0),
  MAX_OPEN_POSITIONS: int(1, 1000, 10),
  MAX_ORDERS_PER_MINUTE: int(1, 10000, 30),
  PRICE_BAND_PCT: num(0.01, 100, 5),
  MAX_PRICE_AGE: int(1, 86400, 120),
  MAX_SPREAD_PCT: num(0.001, 100, 1),
  DAILY_LOSS_PCT: num(0, 100, 0),
  DAILY_LOSS_FLATTEN: bool(false),
  MAX_DRAWDOWN_PCT: num(0, 100, 0),
  COOLDOWN_MINUTES: num(0, 100000, 0),
  STOPLOSS_GUARD: int(0, 1000, 0),
  STOPLOSS_GUARD_WINDOW_MINUTES: num(1, 100000, 60),
  STOPLOSS_GUARD_LOCK_MINUTES: num(1, 100000, 120),
  PANIC_THRESHOLD: num(1, 100, 70),
  PANIC_AUTO_KILL: bool(false),
  // --sizing kelly
  KELLY_LOOKBACK: int(2, 10000, 50),
  KELLY_FRACTION: num(0.01, 1, 0.5),
  KELLY_MIN_TRADES: int(2, 10000, 20),
  TARGET_VOLATILITY: num(0, 1000, 60),
  KELLY_VOL_SCALE_CAP: num(0.1, 10, 2),
};

const backtestSchema = z.object(BACKTEST_ENV_SHAPE);

export type BacktestConfig = z.infer<typeof backtestSchema> & {
  /** Absolute data directory. */
  dataDir: string;
};

/** The backtest's variables, validated as loadConfig (src/config.ts) does; `env` defaults to process.env plus ./.env. */
export function loadBacktestConfig(env?: Record<string, string | undefined>): BacktestConfig {
  const data = validateEnv(backtestSchema, BACKTEST_ENV_SHAPE, env ?? readEnv());
  return { ...data, dataDir: resolve(data.DATA_DIR) };
}
