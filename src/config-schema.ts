import { isIP } from 'node:net';
import cron from 'node-cron';
import { z } from 'zod';
import { BACKTEST_ENV_SHAPE as B } from './config-backtest.ts';
import { bool, int, json, list, num, url } from './config-fields.ts';
import { DOMAIN_EVENT_TYPES } from './domain/events.ts';

export { ENV_DOCS, type EnvVarDoc } from './config-docs.ts';

/**
 * The field of every environment variable tradeops knows (their doc lines: src/config-docs.ts), in
 * the order of .env.example. The variables a backtest reads are the very fields of
 * src/config-backtest.ts (`B.…`), which validates them alone for `tradeops backtest`.
 */
export const ENV_SCHEMA_SHAPE = {
  MODE: z.enum(['paper', 'live'], { message: 'expected one of paper, live' }).default('paper'),
  LIVE_TRADING_ACK: z.string().optional(),
  DATA_DIR: B.DATA_DIR,
  DATABASE_URL: B.DATABASE_URL,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { message: 'expected one of trace, debug, info, warn, error, fatal, silent' }).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'expected json or pretty' }).optional(),
  HTTP_HOST: z
    .string()
    .default('127.0.0.1')
    .refine((s) => isIP(s) !== 0 || (!/^[0-9.]+$/.test(s) && /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(s)), {
      message: 'expected an address to bind: an IP such as 127.0.0.1, 0.0.0.0 or ::, or a host name such as localhost',
    }),
  HTTP_PORT: int(0, 65535, 8080),
  PUBLIC_URL: url(['https:', 'http:']).optional(),
  EXCHANGE: B.EXCHANGE,
  EXCHANGE_API_KEY: z.string().optional(),
  EXCHANGE_API_SECRET: z.string().optional(),
  EXCHANGE_API_PASSWORD: z.string().optional(),
  EXCHANGE_MARKET: B.EXCHANGE_MARKET,
  EXCHANGE_SANDBOX: bool(false),
  EXCHANGE_URL: url(['http:', 'https:']).optional(),
  MAX_LEVERAGE: num(1, 125, 3),
  SYMBOLS: list('BTC/USDT').refine((l) => l.length > 0 && l.every((s) => /^[A-Z0-9]{2,20}\/[A-Z0-9]{2,20}(:[A-Z0-9]{2,20})?$/.test(s)), {
    message: 'expected comma-separated symbols such as BTC/USDT,ETH/USDT (swap: BTC/USDT:USDT)',
  }),
  TIMEFRAME: z.string().default('1m'),
  STRATEGY: z
    .string()
    .default('sma-cross')
    .refine((s) => /^[a-z0-9][a-z0-9-]{0,63}$/.test(s), { message: 'expected a strategy name (lowercase letters, digits and dashes)' }),
  STRATEGY_PARAMS: json('{}'),
  STRATEGIES_DIR: B.STRATEGIES_DIR,
  TICK_CRON: z
    .string()
    .refine((s) => cron.validate(s), { message: 'expected a node-cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first) with values in range, e.g. */10 * * * * * or 0 */5 * * * *' })
    .optional(),
  PAPER_CASH: num(1, 1e12, 10000),
  ORDER_SIZE_PCT: B.ORDER_SIZE_PCT,
  MAX_SIGNAL_AGE: z
    .string()
    .refine((s) => /^[1-9][0-9]{0,2}[smhd]$/.test(s.trim()), { message: 'expected a duration such as 30s, 5m, 1h (empty = one TIMEFRAME)' })
    // Accepted with spaces around it, so kept without them: the engine reads it as a timeframe.
    .transform((s) => s.trim())
    .optional(),
  SIM_SEED: B.SIM_SEED,
  SIM_SPEED: num(0.01, 10000, 1),
  SIM_DATA: z.string().optional(),
  SIM_FEE_BPS: num(0, 1000, 10),
  SIM_SLIPPAGE_BPS: num(0, 1000, 2),
  CONSOLE: z.enum(['auto', 'true', 'false'], { message: 'expected auto, true or false' }).default('auto'),
  CHAT_USERS: z.string().optional(),
  COMMAND_RATE_LIMIT: int(1, 10000, 30),
  ALERT_DIGEST_AFTER: int(1, 3600, 30),
  ALERT_LEVELS: z
    .string()
    .default('')
    .transform((s, ctx) => {
      const out: Record<string, 'on' | 'silent' | 'off'> = {};
      for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
        const m = /^([a-z][a-z-]*):(on|silent|off)$/.exec(part);
        if (!m || !(DOMAIN_EVENT_TYPES as readonly string[]).includes(m[1]!)) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not TYPE:on|silent|off with TYPE one of ${DOMAIN_EVENT_TYPES.join(', ')}` });
          return z.NEVER;
        }
        out[m[1]!] = m[2] as 'on' | 'silent' | 'off';
      }
      return out;
    }),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: url(['http:', 'https:']).default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: url(['https:', 'http:']).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .refine((s) => /^[A-Za-z0-9_-]{1,256}$/.test(s), { message: 'expected 1-256 characters of A-Z, a-z, 0-9, _ and -' })
    .optional(),
  TELEGRAM_ALERT_CHAT_IDS: list(''),
  DISCORD_BOT_TOKEN: z.string().optional(),
  DISCORD_APP_ID: z.string().optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .refine((s) => /^[0-9a-fA-F]{64}$/.test(s), { message: 'expected 64 hex characters (the Ed25519 public key from the developer portal)' })
    .optional(),
  DISCORD_GUILD_ID: z.string().optional(),
  DISCORD_API_URL: url(['http:', 'https:']).default('https://discord.com/api'),
  DISCORD_GATEWAY: bool(true),
  DISCORD_ALERT_CHANNEL_ID: z.string().optional(),
  DISCORD_WEBHOOK_URL: url(['https:', 'http:']).optional(),
  LINE_CHANNEL_SECRET: z.string().optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().optional(),
  LINE_API_URL: url(['http:', 'https:']).default('https://api.line.me'),
  LINE_ALERT_TO: list(''),
  // --- HTTP hardening, metrics, heartbeat, signals (issue 12) ---
  HTTP_BODY_LIMIT_KB: int(1, 65536, 256),
  HTTP_TIMEOUT_SECONDS: int(1, 600, 10),
  HTTP_RATE_LIMIT: int(1, 1_000_000, 600),
  HTTP_BAN_AFTER: int(1, 100_000, 10),
  HTTP_BAN_MINUTES: int(1, 10_080, 15),
  HTTP_TRUSTED_PROXIES: list(''),
  METRICS_TOKEN: z.string().refine((s) => s.length >= 16, { message: 'expected at least 16 characters' }).optional(),
  HEARTBEAT_MAX_SILENCE: int(0, 86_400 * 7, 300),
  HEARTBEAT_URL: url(['https:', 'http:']).optional(),
  SIGNAL_SECRET: z.string().refine((s) => s.length >= 12, { message: 'expected at least 12 characters' }).optional(),
  SIGNAL_SOURCES: z.string().optional(),
  SIGNAL_ALLOWED_IPS: list('').refine((l) => l.every((ip) => isIP(ip) !== 0), { message: 'expected comma-separated IP addresses such as 52.89.214.238,34.212.75.30' }),
  SIGNAL_MAX_LAG: int(1, 86_400, 60),
  SIGNAL_RATE_LIMIT: int(1, 100_000, 30),
  FACTOR_MAX_AGE: B.FACTOR_MAX_AGE,
  MAX_POSITION_PCT: B.MAX_POSITION_PCT,
  MAX_ORDER_NOTIONAL: B.MAX_ORDER_NOTIONAL,
  MAX_OPEN_POSITIONS: B.MAX_OPEN_POSITIONS,
  MAX_ORDERS_PER_MINUTE: B.MAX_ORDERS_PER_MINUTE,
  PRICE_BAND_PCT: B.PRICE_BAND_PCT,
  MAX_PRICE_AGE: B.MAX_PRICE_AGE,
  MAX_SPREAD_PCT: B.MAX_SPREAD_PCT,
  DAILY_LOSS_PCT: B.DAILY_LOSS_PCT,
  DAILY_LOSS_FLATTEN: B.DAILY_LOSS_FLATTEN,
  MAX_DRAWDOWN_PCT: B.MAX_DRAWDOWN_PCT,
  COOLDOWN_MINUTES: B.COOLDOWN_MINUTES,
  STOPLOSS_GUARD: B.STOPLOSS_GUARD,
  STOPLOSS_GUARD_WINDOW_MINUTES: B.STOPLOSS_GUARD_WINDOW_MINUTES,
  STOPLOSS_GUARD_LOCK_MINUTES: B.STOPLOSS_GUARD_LOCK_MINUTES,
  PANIC_THRESHOLD: B.PANIC_THRESHOLD,
  PANIC_AUTO_KILL: B.PANIC_AUTO_KILL,
  ORDER_SIZING: z.enum(['percent', 'kelly'], { message: 'expected percent or kelly' }).default('percent'),
  KELLY_LOOKBACK: B.KELLY_LOOKBACK,
  KELLY_FRACTION: B.KELLY_FRACTION,
  KELLY_MIN_TRADES: B.KELLY_MIN_TRADES,
  TARGET_VOLATILITY: B.TARGET_VOLATILITY,
  KELLY_VOL_SCALE_CAP: B.KELLY_VOL_SCALE_CAP,
  SWEEP_ENABLED: bool(false),
  SWEEP_ADDRESS: z.string().refine((s) => /^[A-Za-z0-9:_.-]{8,128}$/.test(s), { message: 'expected one withdrawal address (8-128 letters, digits, : _ . -)' }).optional(),
  SWEEP_NETWORK: z.string().refine((s) => /^[A-Za-z0-9_-]{1,32}$/.test(s), { message: 'expected a network code such as TRX, ETH or BSC' }).optional(),
  SWEEP_KEEP: num(0, 1e12, 1000),
  SWEEP_MAX_PER_DAY: num(0, 1e12, 0),
  // --- order path, reconciliation, leader election, shutdown (issue 10) ---
  RECONCILE_INTERVAL: int(10, 86_400, 300),
  ORDER_LOOKUP_DELAY_MS: int(0, 60_000, 1000),
  ORDER_REQUEST_WINDOW_MS: int(0, 120_000, 11_000),
  LEADER_CHECK_INTERVAL: int(1, 60, 3),
  SHUTDOWN_TIMEOUT: int(1, 120, 8),
  ORDER_TIMEOUT: int(1, 86_400, 30),
  MAX_REQUOTES: int(0, 100, 3),
  MAX_PRICE_CHASE: num(0, 50, 0.5),
  JOB_WORKERS: int(0, 64, 1),
  // --- web dashboard (issue 14) ---
  DASHBOARD: bool(true),
};
