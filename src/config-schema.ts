import { isIP } from 'node:net';
import cron from 'node-cron';
import { z } from 'zod';
import { DOMAIN_EVENT_TYPES } from './domain/events.ts';

/**
 * Every environment variable tradeops knows, with its doc line. `.env.example` and the README's
 * configuration reference are checked against this list by tests/unit/config-docs.test.ts.
 */

const int = (min: number, max: number, def: number) =>
  z
    .string()
    .default(String(def))
    .refine((s) => /^-?[0-9]+$/.test(s.trim()), { message: `expected a whole number from ${min} to ${max}` })
    .transform((s) => Number(s.trim()))
    .refine((n) => n >= min && n <= max, { message: `expected a whole number from ${min} to ${max}` });

const num = (min: number, max: number, def: number) =>
  z
    .string()
    .default(String(def))
    .refine((s) => /^-?[0-9]+(\.[0-9]+)?$/.test(s.trim()), { message: `expected a decimal number from ${min} to ${max}` })
    .transform((s) => Number(s.trim()))
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, { message: `expected a decimal number from ${min} to ${max}` });

const bool = (def: boolean) =>
  z
    .string()
    .default(String(def))
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), { message: 'expected true or false' })
    .transform((s) => s === 'true' || s === '1' || s === 'yes');

const url = (protocols: string[]) =>
  z
    .string()
    .refine(
      (s) => {
        try {
          return protocols.includes(new URL(s).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    );

const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const json = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s, ctx) => {
      try {
        const v = JSON.parse(s) as unknown;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
        return v as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object such as {"fast":10,"slow":30}' });
        return z.NEVER;
      }
    });

export interface EnvVarDoc {
  doc: string;
  default?: string;
  group: string;
  example?: string;
}

/** Doc line, default and group of each variable; the order here is the order of .env.example. */
export const ENV_DOCS: Record<string, EnvVarDoc> = {
  MODE: { group: 'Core', doc: 'paper (simulated fills, default) or live (real orders; needs LIVE_TRADING_ACK=yes and keys)', default: 'paper' },
  LIVE_TRADING_ACK: { group: 'Core', doc: 'must be "yes" for MODE=live to start: an explicit opt-in to real money', default: '' },
  DATA_DIR: { group: 'Core', doc: 'where the embedded database, charts and reports are kept', default: './data' },
  DATABASE_URL: { group: 'Core', doc: 'postgres://user:pass@host:5432/db — use a PostgreSQL server instead of the embedded PGlite', default: '' },
  LOG_LEVEL: { group: 'Core', doc: 'trace | debug | info | warn | error | fatal | silent', default: 'info' },
  LOG_FORMAT: { group: 'Core', doc: 'json or pretty (default: pretty on a terminal, json otherwise)', default: '' },
  HTTP_HOST: { group: 'HTTP', doc: 'address the HTTP server binds (0.0.0.0 in Docker)', default: '127.0.0.1' },
  HTTP_PORT: { group: 'HTTP', doc: 'port of the HTTP server (health, metrics, webhooks, charts); 0 picks a free port', default: '8080' },
  PUBLIC_URL: { group: 'HTTP', doc: 'public https:// base URL of the HTTP server (LINE images, webhooks, the full-report link of a chat backtest)', default: '' },
  EXCHANGE: { group: 'Exchange', doc: 'sim (built-in simulated exchange) or any ccxt exchange id: binance, bybit, okx, …', default: 'sim' },
  EXCHANGE_API_KEY: { group: 'Exchange', doc: 'exchange API key (live trading)', default: '' },
  EXCHANGE_API_SECRET: { group: 'Exchange', doc: 'exchange API secret (live trading)', default: '' },
  EXCHANGE_API_PASSWORD: { group: 'Exchange', doc: 'exchange API passphrase, for exchanges that need one (okx, kucoin, …)', default: '' },
  EXCHANGE_MARKET: { group: 'Exchange', doc: 'spot (default) or swap (linear USDT perpetuals: long and short)', default: 'spot' },
  EXCHANGE_SANDBOX: { group: 'Exchange', doc: "true uses the exchange's testnet/demo endpoints", default: 'false' },
  EXCHANGE_URL: { group: 'Exchange', doc: 'one base URL replacing the host of every REST endpoint (proxy, gateway, local test exchange)', default: '' },
  MAX_LEVERAGE: { group: 'Exchange', doc: 'leverage cap for swap markets', default: '3' },
  SYMBOLS: { group: 'Trading', doc: 'comma-separated symbols to trade', default: 'BTC/USDT' },
  TIMEFRAME: { group: 'Trading', doc: 'candle timeframe the strategy trades on (1m, 5m, 1h, …)', default: '1m' },
  STRATEGY: { group: 'Trading', doc: 'strategy name (built-in or a file in STRATEGIES_DIR)', default: 'sma-cross' },
  STRATEGY_PARAMS: { group: 'Trading', doc: 'JSON object of strategy parameters, e.g. {"fast":10,"slow":30}', default: '{}' },
  STRATEGIES_DIR: { group: 'Trading', doc: 'folder with your own strategy files (.ts/.js), loaded by name', default: '' },
  TICK_CRON: { group: 'Trading', doc: 'node-cron expression of the engine tick (6 fields = seconds); default: every 10 s on a real exchange; on sim every second, or once per simulated candle (at most every 50 ms) when SIM_SPEED > 1', default: '' },
  PAPER_CASH: { group: 'Trading', doc: 'starting quote balance of the paper account', default: '10000' },
  ORDER_SIZE_PCT: { group: 'Trading', doc: 'percent of equity committed per entry when no other sizing applies', default: '10' },
  MAX_SIGNAL_AGE: { group: 'Trading', doc: 'a closed candle older than this (e.g. 90s, 5m; since its close) produces no orders, and after a gap only the newest candle may; empty = one TIMEFRAME', default: '' },
  SIM_SEED: { group: 'Simulated exchange', doc: 'seed of the synthetic market (same seed, same prices)', default: '42' },
  SIM_SPEED: { group: 'Simulated exchange', doc: 'simulated candles per second of real time', default: '1' },
  SIM_DATA: { group: 'Simulated exchange', doc: 'replay this candle file (any import-candles format) instead of the synthetic market', default: '' },
  SIM_FEE_BPS: { group: 'Simulated exchange', doc: 'taker fee of the simulated exchange in basis points', default: '10' },
  SIM_SLIPPAGE_BPS: { group: 'Simulated exchange', doc: 'slippage of simulated market orders in basis points', default: '2' },
  CONSOLE: { group: 'Chat', doc: 'console chat on stdin/stdout: auto (when stdin is a terminal), true or false', default: 'auto' },
  CHAT_USERS: { group: 'Chat', doc: 'who may use the bot: platform:id=role,… e.g. telegram:123=admin,discord:456=trader', default: '' },
  COMMAND_RATE_LIMIT: { group: 'Chat', doc: 'commands per user per minute', default: '30' },
  ALERT_LEVELS: { group: 'Chat', doc: 'default alert level per type: type:on|silent|off,… e.g. fill:off,entry:on (/alerts overrides; critical alerts are never off)', default: '' },
  ALERT_DIGEST_AFTER: { group: 'Chat', doc: 'seconds a non-critical alert may wait before the backlog of its chat is folded into one digest (also when more than 20 wait)', default: '30' },
  TELEGRAM_BOT_TOKEN: { group: 'Telegram', doc: 'bot token from @BotFather; enables Telegram', default: '' },
  TELEGRAM_API_ROOT: { group: 'Telegram', doc: 'Bot API base URL (self-hosted Bot API server)', default: 'https://api.telegram.org' },
  TELEGRAM_WEBHOOK_URL: { group: 'Telegram', doc: 'public URL of POST /webhooks/telegram; unset = long polling', default: '' },
  TELEGRAM_WEBHOOK_SECRET: { group: 'Telegram', doc: 'secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token (required with a webhook)', default: '' },
  TELEGRAM_ALERT_CHAT_IDS: { group: 'Telegram', doc: 'comma-separated chat ids that receive alerts', default: '' },
  DISCORD_BOT_TOKEN: { group: 'Discord', doc: 'bot token; enables Discord', default: '' },
  DISCORD_APP_ID: { group: 'Discord', doc: 'application id (slash-command registration)', default: '' },
  DISCORD_PUBLIC_KEY: { group: 'Discord', doc: 'hex Ed25519 public key: enables POST /interactions/discord', default: '' },
  DISCORD_GUILD_ID: { group: 'Discord', doc: 'register slash commands in this server only (instant); unset = global', default: '' },
  DISCORD_API_URL: { group: 'Discord', doc: 'REST API base URL', default: 'https://discord.com/api' },
  DISCORD_GATEWAY: { group: 'Discord', doc: 'connect to the Discord gateway for interactions (false when only the HTTP endpoint is used)', default: 'true' },
  DISCORD_ALERT_CHANNEL_ID: { group: 'Discord', doc: 'channel id that receives alerts', default: '' },
  DISCORD_WEBHOOK_URL: { group: 'Discord', doc: 'channel webhook URL for alerts (alternative to the channel id)', default: '' },
  LINE_CHANNEL_SECRET: { group: 'LINE', doc: 'channel secret (webhook signature); enables LINE with the access token', default: '' },
  LINE_CHANNEL_ACCESS_TOKEN: { group: 'LINE', doc: 'long-lived channel access token', default: '' },
  LINE_API_URL: { group: 'LINE', doc: 'Messaging API base URL', default: 'https://api.line.me' },
  LINE_ALERT_TO: { group: 'LINE', doc: 'comma-separated user/group ids that receive alerts', default: '' },
  // --- HTTP hardening, metrics, heartbeat, signals (issue 12) ---
  HTTP_BODY_LIMIT_KB: { group: 'HTTP hardening', doc: 'largest request body any route accepts, in KiB (routes may set less)', default: '256' },
  HTTP_TIMEOUT_SECONDS: { group: 'HTTP hardening', doc: 'longest a request may take to arrive and be answered before 503', default: '10' },
  HTTP_RATE_LIMIT: { group: 'HTTP hardening', doc: 'requests per minute per address per route before 429', default: '600' },
  HTTP_BAN_AFTER: { group: 'HTTP hardening', doc: 'failed authentications (bad signature, secret or token) within 10 minutes that ban an address', default: '10' },
  HTTP_BAN_MINUTES: { group: 'HTTP hardening', doc: 'how long such a ban lasts', default: '15' },
  HTTP_TRUSTED_PROXIES: { group: 'HTTP hardening', doc: 'comma-separated addresses of reverse proxies whose X-Forwarded-For is believed', default: '' },
  METRICS_TOKEN: { group: 'Monitoring', doc: 'bearer token required by GET /metrics (the start warns when the server binds beyond loopback without one)', default: '' },
  HEARTBEAT_MAX_SILENCE: { group: 'Monitoring', doc: 'seconds without a completed engine tick before a critical alert; 0 = off', default: '300' },
  HEARTBEAT_URL: { group: 'Monitoring', doc: 'URL called (GET) after every successful tick, at most once a minute: a dead-man\'s switch such as healthchecks.io', default: '' },
  SIGNAL_SECRET: { group: 'Signals', doc: 'passphrase/HMAC key of the signal source named tradingview; enables POST /webhooks/signal and /webhooks/factor', default: '' },
  SIGNAL_SOURCES: { group: 'Signals', doc: 'JSON: several sources, e.g. {"tv":{"secret":"…","symbols":["BTC/USDT"],"max_amount":500,"rate_limit":10}}', default: '' },
  SIGNAL_ALLOWED_IPS: { group: 'Signals', doc: "comma-separated sender addresses allowed to post signals (TradingView: 52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7); unset = any", default: '' },
  SIGNAL_MAX_LAG: { group: 'Signals', doc: 'seconds a signal may be old (by its time field) before it is refused with 409', default: '60' },
  SIGNAL_RATE_LIMIT: { group: 'Signals', doc: 'signals per minute per source (a source in SIGNAL_SOURCES may set its own rate_limit)', default: '30' },
  FACTOR_MAX_AGE: { group: 'Signals', doc: 'seconds after which an external factor is stale: ignored by strategies and the panic score, with a warning', default: '3600' },
  MAX_POSITION_PCT: { group: 'Risk', doc: 'largest position on one symbol after an order, % of equity (also caps Kelly sizes)', default: '25' },
  MAX_ORDER_NOTIONAL: { group: 'Risk', doc: 'largest value of one entry order in the quote currency; 0 = no cap', default: '0' },
  MAX_OPEN_POSITIONS: { group: 'Risk', doc: 'most symbols with an open position at once', default: '10' },
  MAX_ORDERS_PER_MINUTE: { group: 'Risk', doc: 'entry orders in any rolling minute (exits and kill-all are never held back)', default: '30' },
  PRICE_BAND_PCT: { group: 'Risk', doc: 'fat-finger guard: a limit price must lie within this % of the last price', default: '5' },
  MAX_PRICE_AGE: { group: 'Risk', doc: 'a market entry needs a last price younger than this many seconds', default: '120' },
  MAX_SPREAD_PCT: { group: 'Risk', doc: 'entries are refused when the bid/ask spread is wider than this % of the mid (where an order book is available)', default: '1' },
  DAILY_LOSS_PCT: { group: 'Risk', doc: "loss since 00:00 UTC, % of the day's starting equity, that stops entries and HALTS trading; 0 = off", default: '0' },
  DAILY_LOSS_FLATTEN: { group: 'Risk', doc: 'true: reaching DAILY_LOSS_PCT also runs kill-all (closes every position tradeops holds)', default: 'false' },
  MAX_DRAWDOWN_PCT: { group: 'Risk', doc: 'drawdown from the equity peak, %, that stops entries and HALTS trading; 0 = off', default: '0' },
  COOLDOWN_MINUTES: { group: 'Risk', doc: 'no new entry on a symbol for this long after an exit on it; 0 = off', default: '0' },
  STOPLOSS_GUARD: { group: 'Risk', doc: 'this many stop-loss exits on one symbol within STOPLOSS_GUARD_WINDOW_MINUTES lock it; 0 = off', default: '0' },
  STOPLOSS_GUARD_WINDOW_MINUTES: { group: 'Risk', doc: 'window of the stop-loss guard', default: '60' },
  STOPLOSS_GUARD_LOCK_MINUTES: { group: 'Risk', doc: 'how long the stop-loss guard locks the symbol', default: '120' },
  PANIC_THRESHOLD: { group: 'Risk', doc: 'panic score (0-100) at which new entries are refused', default: '70' },
  PANIC_AUTO_KILL: { group: 'Risk', doc: 'true: an extreme panic score (>= 80) runs kill-all by itself instead of only proposing it', default: 'false' },
  ORDER_SIZING: { group: 'Sizing', doc: 'how the engine sizes strategy entries: percent (ORDER_SIZE_PCT of equity) or kelly (the /size figure: Kelly fraction from the last KELLY_LOOKBACK closed trades, else those of the latest backtest, times KELLY_FRACTION, volatility-scaled, capped at MAX_POSITION_PCT; ORDER_SIZE_PCT below KELLY_MIN_TRADES); backtest --sizing kelly sizes the same way from the backtest’s own trades', default: 'percent' },
  KELLY_LOOKBACK: { group: 'Sizing', doc: 'closed trades of the strategy and symbol the Kelly fraction is estimated from', default: '50' },
  KELLY_FRACTION: { group: 'Sizing', doc: 'multiplier on the Kelly fraction (0.5 = half-Kelly)', default: '0.5' },
  KELLY_MIN_TRADES: { group: 'Sizing', doc: 'below this many closed trades Kelly sizing falls back to ORDER_SIZE_PCT', default: '20' },
  TARGET_VOLATILITY: { group: 'Sizing', doc: 'annualised volatility target, %: Kelly sizes scale by TARGET_VOLATILITY / realised volatility; 0 = no scaling', default: '60' },
  KELLY_VOL_SCALE_CAP: { group: 'Sizing', doc: 'largest volatility scale factor applied to a Kelly size', default: '2' },
  SWEEP_ENABLED: { group: 'Treasury sweep', doc: 'true lets /sweep really withdraw; otherwise it is a dry run', default: 'false' },
  SWEEP_ADDRESS: { group: 'Treasury sweep', doc: 'the one allow-listed withdrawal address /sweep sends to', default: '' },
  SWEEP_NETWORK: { group: 'Treasury sweep', doc: 'withdrawal network of SWEEP_ADDRESS (e.g. TRX, ETH, BSC)', default: '' },
  SWEEP_KEEP: { group: 'Treasury sweep', doc: 'quote balance /sweep always leaves on the exchange', default: '1000' },
  SWEEP_MAX_PER_DAY: { group: 'Treasury sweep', doc: 'most quote currency /sweep moves per UTC day; 0 = sweeping is off', default: '0' },
  // --- order path, reconciliation, leader election, shutdown (issue 10) ---
  RECONCILE_INTERVAL: { group: 'Order path', doc: 'seconds between reconciliations with the exchange (orders, trades, balances); also run at start and by /reconcile', default: '300' },
  ORDER_LOOKUP_DELAY_MS: { group: 'Order path', doc: 'wait before looking up an order whose create got no answer (the venue may lag)', default: '1000' },
  ORDER_REQUEST_WINDOW_MS: { group: 'Order path', doc: 'how long after it left an unanswered order request may still be executed by the exchange: an order the exchange does not show is resent (or called never received) only after this; keep above the exchange\'s receive window (Binance 10 s)', default: '11000' },
  LEADER_CHECK_INTERVAL: { group: 'Order path', doc: 'seconds between leader-lock checks with PostgreSQL; a standby takes over within about this plus reconciliation', default: '3' },
  ORDER_TIMEOUT: { group: 'Order path', doc: 'seconds a limit order may rest unfilled before it is cancelled and re-priced', default: '30' },
  MAX_REQUOTES: { group: 'Order path', doc: 're-pricings of a limit order that timed out before it is given up', default: '3' },
  MAX_PRICE_CHASE: { group: 'Order path', doc: 'furthest a re-priced limit order may move from its first price, %', default: '0.5' },
  SHUTDOWN_TIMEOUT: { group: 'Order path', doc: 'seconds SIGTERM waits for order requests in flight before storing them as unknown (keep below the Docker stop grace period)', default: '8' },
  JOB_WORKERS: { group: 'Backtest jobs', doc: 'backtest jobs (chat backtests, sweep parameter sets, walk-forward folds) this process runs at once from the database job queue, each on its own thread; 0 = leave them to other processes (tradeops worker)', default: '1' },
  // --- web dashboard (issue 14) ---
  DASHBOARD: { group: 'HTTP', doc: 'false turns off the web dashboard at / (sign-in links from /dashboard in chat)', default: 'true' },
};

export const ENV_SCHEMA_SHAPE = {
  MODE: z.enum(['paper', 'live'], { message: 'expected one of paper, live' }).default('paper'),
  LIVE_TRADING_ACK: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
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
  EXCHANGE: z
    .string()
    .default('sim')
    .refine((s) => /^[a-z0-9]+$/.test(s), { message: 'expected sim or a ccxt exchange id (lowercase letters and digits, e.g. binance)' }),
  EXCHANGE_API_KEY: z.string().optional(),
  EXCHANGE_API_SECRET: z.string().optional(),
  EXCHANGE_API_PASSWORD: z.string().optional(),
  EXCHANGE_MARKET: z.enum(['spot', 'swap'], { message: 'expected spot or swap' }).default('spot'),
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
  STRATEGIES_DIR: z.string().optional(),
  TICK_CRON: z
    .string()
    .refine((s) => cron.validate(s), { message: 'expected a node-cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first) with values in range, e.g. */10 * * * * * or 0 */5 * * * *' })
    .optional(),
  PAPER_CASH: num(1, 1e12, 10000),
  ORDER_SIZE_PCT: num(0.01, 100, 10),
  MAX_SIGNAL_AGE: z
    .string()
    .refine((s) => /^[1-9][0-9]{0,2}[smhd]$/.test(s.trim()), { message: 'expected a duration such as 30s, 5m, 1h (empty = one TIMEFRAME)' })
    // Accepted with spaces around it, so kept without them: the engine reads it as a timeframe.
    .transform((s) => s.trim())
    .optional(),
  SIM_SEED: int(0, 2 ** 31 - 1, 42),
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
  ORDER_SIZING: z.enum(['percent', 'kelly'], { message: 'expected percent or kelly' }).default('percent'),
  KELLY_LOOKBACK: int(2, 10000, 50),
  KELLY_FRACTION: num(0.01, 1, 0.5),
  KELLY_MIN_TRADES: int(2, 10000, 20),
  TARGET_VOLATILITY: num(0, 1000, 60),
  KELLY_VOL_SCALE_CAP: num(0.1, 10, 2),
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
