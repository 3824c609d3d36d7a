import { describe, expect, it } from 'vitest';
import { ENV_SCHEMA_SHAPE } from '../../src/config-schema.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { configProblems } from '../support/config-problems.ts';

/**
 * Every configuration variable, with the values it accepts (and what they parse to) and the wrong
 * forms it must refuse — not only a missing value. A variable that takes any text says so, with
 * where its content is checked instead. A variable added to the schema without an entry here fails
 * the completeness test.
 */
type Spec =
  | { ok: Array<[string, unknown]>; wrong: string[] }
  | { anyText: string; ok?: Array<[string, unknown]> };

const url = (ok: string, wrong: string[] = ['not a url', 'ftp://example.com', 'example.com/path']): Spec => ({ ok: [[ok, ok]], wrong });

const SPECS: Record<string, Spec> = {
  MODE: { ok: [['paper', 'paper']], wrong: ['fast', 'PAPER', 'real', 'demo'] },
  LIVE_TRADING_ACK: { anyText: 'only "yes" counts, and only in live mode: see the live-mode tests below' },
  DATA_DIR: { anyText: 'a directory path', ok: [['/var/lib/tradeops', '/var/lib/tradeops']] },
  DATABASE_URL: {
    ok: [['postgres://u:p@db:5432/tradeops', 'postgres://u:p@db:5432/tradeops'], ['postgresql://db/tradeops', 'postgresql://db/tradeops']],
    wrong: ['mysql://u:p@db/x', 'http://db:5432/x', 'db:5432', 'not a url'],
  },
  LOG_LEVEL: { ok: [['debug', 'debug'], ['silent', 'silent']], wrong: ['loud', 'INFO', 'verbose'] },
  LOG_FORMAT: { ok: [['json', 'json'], ['pretty', 'pretty']], wrong: ['xml', 'JSON', 'text'] },
  HTTP_HOST: { ok: [['0.0.0.0', '0.0.0.0'], ['::', '::'], ['localhost', 'localhost']], wrong: ['not a host!', '300.1.1.1.1', '-bad-.host'] },
  HTTP_PORT: { ok: [['0', 0], ['65535', 65535], [' 8081 ', 8081]], wrong: ['abc', '-1', '65536', '70000', '80.5', '1e3', '0x50', '80 80'] },
  PUBLIC_URL: url('https://bot.example.com'),
  EXCHANGE: { ok: [['binance', 'binance'], ['okx', 'okx']], wrong: ['Binance', 'bin-ance', 'binance ', 'bin/ance'] },
  EXCHANGE_API_KEY: { anyText: 'a credential; the exchange checks it', ok: [['k'.repeat(12), 'k'.repeat(12)]] },
  EXCHANGE_API_SECRET: { anyText: 'a credential; the exchange checks it', ok: [['s'.repeat(12), 's'.repeat(12)]] },
  EXCHANGE_API_PASSWORD: { anyText: 'a credential; the exchange checks it', ok: [['p'.repeat(12), 'p'.repeat(12)]] },
  EXCHANGE_MARKET: { ok: [['spot', 'spot'], ['swap', 'swap']], wrong: ['futures', 'margin', 'SWAP'] },
  EXCHANGE_SANDBOX: {
    ok: [['true', true], ['TRUE', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false], [' No ', false]],
    wrong: ['maybe', '2', 'on', 'y'],
  },
  EXCHANGE_URL: url('http://127.0.0.1:9000', ['127.0.0.1:9000', 'ws://127.0.0.1:9000', 'not a url']),
  MAX_LEVERAGE: { ok: [['1', 1], ['2.5', 2.5], ['125', 125]], wrong: ['0', '0.5', '125.5', '126', '-3', 'abc', '1e2', '3x'] },
  SYMBOLS: {
    ok: [['BTC/USDT, ETH/USDT', ['BTC/USDT', 'ETH/USDT']], ['BTC/USDT:USDT', ['BTC/USDT:USDT']], ['1000PEPE/USDT', ['1000PEPE/USDT']]],
    wrong: ['btc-usdt', 'btc/usdt', 'BTC/USDT:', 'BTC/USDT,eth/usdt', ',', 'B/USDT', 'BTCUSDT'],
  },
  TIMEFRAME: { ok: [['4h', '4h'], ['15m', '15m'], ['1w', '1w']], wrong: ['7x', '1M', '0m', 'm', '1 h', '1000d'] },
  STRATEGY: { ok: [['sma-cross', 'sma-cross'], ['my-strategy-2', 'my-strategy-2']], wrong: ['My Strategy', '-x', 'a_b', 'a'.repeat(65), '../x'] },
  STRATEGY_PARAMS: { ok: [['{"fast":5,"slow":20}', { fast: 5, slow: 20 }]], wrong: ['{bad', '[1,2]', 'null', '3', '"text"'] },
  STRATEGIES_DIR: { anyText: 'a directory; the strategy loader refuses a missing one', ok: [['./strategies', './strategies']] },
  TICK_CRON: { anyText: 'a cron expression; node-cron validates it when the scheduler starts (src/engine/scheduler.ts)', ok: [['*/5 * * * * *', '*/5 * * * * *']] },
  PAPER_CASH: { ok: [['1', 1], ['250.5', 250.5], ['1000000000000', 1e12]], wrong: ['0', '0.5', '-5', 'abc', '1e6', '1000000000001', '10,000'] },
  ORDER_SIZE_PCT: { ok: [['0.01', 0.01], ['100', 100]], wrong: ['0', '0.001', '100.5', 'ten', '10%'] },
  MAX_SIGNAL_AGE: { ok: [['90s', '90s'], ['5m', '5m'], ['1h', '1h']], wrong: ['0m', '5 m', '1000s', '5x', '-1m', '1w'] },
  SIM_SEED: { ok: [['0', 0], ['2147483647', 2_147_483_647]], wrong: ['-1', '2147483648', '1.5', 'seed'] },
  SIM_SPEED: { ok: [['0.01', 0.01], ['10000', 10_000]], wrong: ['0', '0.001', '10001', 'fast'] },
  SIM_DATA: { anyText: 'a candle file; `start` refuses one it cannot read or parse', ok: [['data/btc.csv', 'data/btc.csv']] },
  SIM_FEE_BPS: { ok: [['0', 0], ['1000', 1000], ['7.5', 7.5]], wrong: ['-1', '1001', 'ten'] },
  SIM_SLIPPAGE_BPS: { ok: [['0', 0], ['1000', 1000]], wrong: ['-0.5', '1000.5', 'x'] },
  CONSOLE: { ok: [['auto', 'auto'], ['true', 'true'], ['false', 'false']], wrong: ['yes', 'on', 'TRUE'] },
  CHAT_USERS: { anyText: 'platform:id=role pairs; parseChatUsers refuses bad entries when the chat starts (src/app/build-chat.ts)', ok: [['telegram:1=admin', 'telegram:1=admin']] },
  COMMAND_RATE_LIMIT: { ok: [['1', 1], ['10000', 10_000]], wrong: ['0', '10001', '2.5', 'many'] },
  ALERT_LEVELS: { ok: [['fill:off, entry:silent', { fill: 'off', entry: 'silent' }]], wrong: ['fills:off', 'fill:loud', 'fill', 'fill:', ':off', 'fill:off;entry:on'] },
  TELEGRAM_BOT_TOKEN: { anyText: 'a credential; Telegram checks it', ok: [['123:abc', '123:abc']] },
  TELEGRAM_API_ROOT: url('http://127.0.0.1:8081'),
  TELEGRAM_WEBHOOK_URL: url('https://bot.example.com/webhooks/telegram'),
  TELEGRAM_WEBHOOK_SECRET: { ok: [['abc_DEF-123', 'abc_DEF-123'], ['a'.repeat(256), 'a'.repeat(256)]], wrong: ['has space', 'bad!', 'a'.repeat(257), 'ümlaut'] },
  TELEGRAM_ALERT_CHAT_IDS: { anyText: 'chat ids (a group id is negative, a channel may be @name)', ok: [['1, -100200', ['1', '-100200']]] },
  DISCORD_BOT_TOKEN: { anyText: 'a credential; Discord checks it', ok: [['t'.repeat(20), 't'.repeat(20)]] },
  DISCORD_APP_ID: { anyText: 'an id Discord checks when commands are registered', ok: [['123', '123']] },
  DISCORD_PUBLIC_KEY: { ok: [['ab'.repeat(32), 'ab'.repeat(32)], ['AB'.repeat(32), 'AB'.repeat(32)]], wrong: ['xyz', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)] },
  DISCORD_GUILD_ID: { anyText: 'an id Discord checks', ok: [['456', '456']] },
  DISCORD_API_URL: url('http://127.0.0.1:9001/api'),
  DISCORD_GATEWAY: { ok: [['false', false], ['1', true]], wrong: ['gateway', 'off'] },
  DISCORD_ALERT_CHANNEL_ID: { anyText: 'an id Discord checks', ok: [['789', '789']] },
  DISCORD_WEBHOOK_URL: url('https://discord.com/api/webhooks/1/abc'),
  LINE_CHANNEL_SECRET: { anyText: 'a credential; signatures made with another secret are refused', ok: [['c'.repeat(32), 'c'.repeat(32)]] },
  LINE_CHANNEL_ACCESS_TOKEN: { anyText: 'a credential; LINE checks it', ok: [['a'.repeat(40), 'a'.repeat(40)]] },
  LINE_API_URL: url('http://127.0.0.1:9002'),
  LINE_ALERT_TO: { anyText: 'LINE user/group ids', ok: [['U1, C2', ['U1', 'C2']]] },
  // HTTP hardening, monitoring, signals
  HTTP_BODY_LIMIT_KB: { ok: [['1', 1], ['65536', 65_536]], wrong: ['0', '65537', '1.5', 'big'] },
  HTTP_TIMEOUT_SECONDS: { ok: [['1', 1], ['600', 600]], wrong: ['0', '601', '2.5'] },
  HTTP_RATE_LIMIT: { ok: [['1', 1], ['1000000', 1_000_000]], wrong: ['0', '1000001', 'lots'] },
  HTTP_BAN_AFTER: { ok: [['1', 1], ['100000', 100_000]], wrong: ['0', '100001', '-1'] },
  HTTP_BAN_MINUTES: { ok: [['1', 1], ['10080', 10_080]], wrong: ['0', '10081', '1h'] },
  HTTP_TRUSTED_PROXIES: { anyText: 'proxy addresses, compared as given with the peer address', ok: [['10.0.0.1, ::1', ['10.0.0.1', '::1']]] },
  METRICS_TOKEN: { ok: [['m'.repeat(16), 'm'.repeat(16)]], wrong: ['short', 'm'.repeat(15)] },
  HEARTBEAT_MAX_SILENCE: { ok: [['0', 0], ['604800', 604_800]], wrong: ['-1', '604801', '5m'] },
  HEARTBEAT_URL: url('https://hc-ping.com/abc'),
  SIGNAL_SECRET: { ok: [['s'.repeat(12), 's'.repeat(12)]], wrong: ['short', 's'.repeat(11)] },
  SIGNAL_SOURCES: { ok: [['{"tv":{"secret":"s3cret-s3cret"}}', '{"tv":{"secret":"s3cret-s3cret"}}']], wrong: ['{"tv":{"secret":"x"}}', 'not json', '{"tv":{"secret":"s3cret-s3cret","symbols":"BTC/USDT"}}'] },
  SIGNAL_ALLOWED_IPS: { ok: [['52.89.214.238, ::1', ['52.89.214.238', '::1']]], wrong: ['52.89.214', 'example.com', '1.2.3.4,nope', '300.1.1.1'] },
  SIGNAL_MAX_LAG: { ok: [['1', 1], ['86400', 86_400]], wrong: ['0', '86401', '1.5'] },
  SIGNAL_RATE_LIMIT: { ok: [['1', 1], ['100000', 100_000]], wrong: ['0', '100001'] },
  FACTOR_MAX_AGE: { ok: [['1', 1], ['2592000', 2_592_000]], wrong: ['0', '2592001'] },
  // risk limits
  MAX_POSITION_PCT: { ok: [['0.01', 0.01], ['100', 100]], wrong: ['0', '100.01', 'all'] },
  MAX_ORDER_NOTIONAL: { ok: [['0', 0], ['2500.5', 2500.5]], wrong: ['-1', '1000000000001', '1e3'] },
  MAX_OPEN_POSITIONS: { ok: [['1', 1], ['1000', 1000]], wrong: ['0', '1001', '1.5'] },
  MAX_ORDERS_PER_MINUTE: { ok: [['1', 1], ['10000', 10_000]], wrong: ['0', '10001'] },
  PRICE_BAND_PCT: { ok: [['0.01', 0.01], ['100', 100]], wrong: ['0', '100.5', '5%'] },
  MAX_PRICE_AGE: { ok: [['1', 1], ['86400', 86_400]], wrong: ['0', '86401', '2.5'] },
  MAX_SPREAD_PCT: { ok: [['0.001', 0.001], ['100', 100]], wrong: ['0', '0.0001', '101'] },
  DAILY_LOSS_PCT: { ok: [['0', 0], ['100', 100], ['2.5', 2.5]], wrong: ['-1', '100.1', 'five'] },
  DAILY_LOSS_FLATTEN: { ok: [['true', true], ['no', false]], wrong: ['flatten', '2'] },
  MAX_DRAWDOWN_PCT: { ok: [['0', 0], ['100', 100]], wrong: ['-0.1', '101'] },
  COOLDOWN_MINUTES: { ok: [['0', 0], ['100000', 100_000]], wrong: ['-1', '100001'] },
  STOPLOSS_GUARD: { ok: [['0', 0], ['1000', 1000]], wrong: ['-1', '1001', '2.5'] },
  STOPLOSS_GUARD_WINDOW_MINUTES: { ok: [['1', 1], ['100000', 100_000]], wrong: ['0', '100001'] },
  STOPLOSS_GUARD_LOCK_MINUTES: { ok: [['1', 1], ['100000', 100_000]], wrong: ['0', '100001'] },
  PANIC_THRESHOLD: { ok: [['1', 1], ['100', 100]], wrong: ['0', '100.5', 'high'] },
  PANIC_AUTO_KILL: { ok: [['1', true], ['false', false]], wrong: ['kill', 'off'] },
  // backtest jobs
  JOB_WORKERS: { ok: [['0', 0], ['64', 64]], wrong: ['-1', '65', '1.5', 'many'] },
  // sizing
  ORDER_SIZING: { ok: [['percent', 'percent'], ['kelly', 'kelly']], wrong: ['Kelly', 'fixed', 'half-kelly'] },
  KELLY_LOOKBACK: { ok: [['2', 2], ['10000', 10_000]], wrong: ['1', '10001', '2.5'] },
  KELLY_FRACTION: { ok: [['0.01', 0.01], ['1', 1]], wrong: ['0', '1.01', 'half'] },
  KELLY_MIN_TRADES: { ok: [['2', 2], ['10000', 10_000]], wrong: ['1', '10001'] },
  TARGET_VOLATILITY: { ok: [['0', 0], ['1000', 1000]], wrong: ['-1', '1000.5'] },
  KELLY_VOL_SCALE_CAP: { ok: [['0.1', 0.1], ['10', 10]], wrong: ['0.05', '10.5'] },
  // order path, alerts, dashboard
  RECONCILE_INTERVAL: { ok: [['10', 10], ['86400', 86_400]], wrong: ['9', '86401', '5m'] },
  ORDER_LOOKUP_DELAY_MS: { ok: [['0', 0], ['60000', 60_000]], wrong: ['-1', '60001', '1.5'] },
  ORDER_REQUEST_WINDOW_MS: { ok: [['0', 0], ['120000', 120_000]], wrong: ['-1', '120001', '1.5', '11 s'] },
  LEADER_CHECK_INTERVAL: { ok: [['1', 1], ['60', 60]], wrong: ['0', '61'] },
  SHUTDOWN_TIMEOUT: { ok: [['1', 1], ['120', 120]], wrong: ['0', '121', 'soon'] },
  ALERT_DIGEST_AFTER: { ok: [['1', 1], ['3600', 3600]], wrong: ['0', '3601', '30s'] },
  DASHBOARD: { ok: [['false', false], ['true', true]], wrong: ['off', 'web'] },
  // treasury sweep
  SWEEP_ENABLED: { ok: [['yes', true], ['0', false]], wrong: ['sweep', 'enabled'] },
  SWEEP_ADDRESS: { ok: [['TXyz1234abcd', 'TXyz1234abcd'], ['0xAbC:tag_1.x-y', '0xAbC:tag_1.x-y']], wrong: ['short', 'has space 12345', 'a'.repeat(129), 'addr/with/slash'] },
  SWEEP_NETWORK: { ok: [['TRX', 'TRX'], ['BEP_20', 'BEP_20']], wrong: ['T R X', 'a'.repeat(33), 'ETH!'] },
  SWEEP_KEEP: { ok: [['0', 0], ['1000', 1000]], wrong: ['-1', 'all'] },
  SWEEP_MAX_PER_DAY: { ok: [['0', 0], ['500.25', 500.25]], wrong: ['-5', '1e12'] },
  ORDER_TIMEOUT: { ok: [['1', 1], ['86400', 86400]], wrong: ['0', '86401', '30s'] },
  MAX_REQUOTES: { ok: [['0', 0], ['100', 100]], wrong: ['-1', '101', '1.5', 'many'] },
  MAX_PRICE_CHASE: { ok: [['0', 0], ['0.5', 0.5], ['50', 50]], wrong: ['-0.1', '50.1', '1%', 'abc'] },
};

const SECRET = /(SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL|SIGNAL_SOURCES|DISCORD_WEBHOOK_URL|HEARTBEAT_URL)/;
/** Variables only valid together with another one. */
const COMPANIONS: Record<string, Record<string, string>> = { TELEGRAM_WEBHOOK_URL: { TELEGRAM_WEBHOOK_SECRET: 'abc' } };

const problemsOf = configProblems;

describe('every configuration value: accepted forms and wrong forms', () => {
  it('covers every variable of the schema, and nothing else', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.keys(ENV_SCHEMA_SHAPE).sort());
  });

  const okCases = Object.entries(SPECS).flatMap(([name, s]) => (s.ok ?? []).map(([value, parsed]) => [name, value, parsed] as const));
  it.each(okCases)('%s=%j is accepted as %j', (name, value, parsed) => {
    const c = loadConfig({ ...COMPANIONS[name], [name]: value });
    expect(c[name as keyof Config]).toEqual(parsed);
  });

  const wrongCases = Object.entries(SPECS).flatMap(([name, s]) => ('wrong' in s ? s.wrong.map((value) => [name, value] as const) : []));
  it.each(wrongCases)('%s=%j is refused, naming the variable and (unless secret) the value', (name, value) => {
    const problems = problemsOf({ ...COMPANIONS[name], [name]: value });
    expect(problems, problems.join('\n')).toHaveLength(1);
    const shown = SECRET.test(name) ? '(hidden)' : JSON.stringify(value);
    expect(problems[0]!.startsWith(`${name}: got ${shown} — expected`) || problems[0]!.startsWith(`${name}: got ${shown} — "`) || problems[0]!.startsWith(`${name}: got ${shown} — source "`), problems[0]).toBe(true);
    if (SECRET.test(name)) expect(problems[0]).not.toContain(value);
  });
});

describe('LIVE_TRADING_ACK: only the exact word "yes" opts in to real money', () => {
  const live = { MODE: 'live', EXCHANGE: 'binance', EXCHANGE_API_KEY: 'k'.repeat(20), EXCHANGE_API_SECRET: 's'.repeat(20) };

  it('accepts "yes"', () => {
    expect(loadConfig({ ...live, LIVE_TRADING_ACK: 'yes' }).MODE).toBe('live');
  });

  it.each(['no', 'YES', 'Yes', 'y', 'true', '1', 'ok', 'yes please', ' yes', 'yes ', 'si', 'x'])('refuses %j', (ack) => {
    const problems = problemsOf({ ...live, LIVE_TRADING_ACK: ack });
    expect(problems).toEqual([`LIVE_TRADING_ACK: got ${JSON.stringify(ack)} — live mode trades real money: set LIVE_TRADING_ACK=yes to confirm`]);
  });

  it('refuses it missing or empty', () => {
    for (const env of [live, { ...live, LIVE_TRADING_ACK: '' }]) {
      expect(problemsOf(env)).toEqual(['LIVE_TRADING_ACK: got nothing — live mode trades real money: set LIVE_TRADING_ACK=yes to confirm']);
    }
  });

  it('is not needed in paper mode, whatever it says', () => {
    expect(loadConfig({ LIVE_TRADING_ACK: 'no' }).MODE).toBe('paper');
  });

  it('live mode refuses the simulated exchange and missing credentials each on its own', () => {
    const ack = { ...live, LIVE_TRADING_ACK: 'yes' };
    expect(problemsOf({ ...ack, EXCHANGE: 'sim' })).toEqual(['EXCHANGE: got "sim" — live mode needs a real exchange id (binance, bybit, okx, …), not sim']);
    expect(problemsOf({ ...ack, EXCHANGE_API_KEY: '' })).toEqual(['EXCHANGE_API_KEY: got nothing — live mode needs exchange API credentials']);
    expect(problemsOf({ ...ack, EXCHANGE_API_SECRET: '' })).toEqual(['EXCHANGE_API_SECRET: got nothing — live mode needs exchange API credentials']);
  });
});
