import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKTEST_ENV_SHAPE, loadBacktestConfig } from '../../src/config-backtest.ts';
import { ENV_SCHEMA_SHAPE } from '../../src/config-schema.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

/**
 * `tradeops backtest` validates only the variables it reads (src/config-backtest.ts). For those it
 * must accept, parse and refuse exactly as the whole configuration does: same values, same problem
 * lines, in the same order; the rest (the bot's variables and cross-checks) it leaves alone.
 */

type Outcome = { ok: unknown } | { problems: string[] };

function outcome(load: () => Record<string, unknown>, name?: string): Outcome {
  try {
    const c = load();
    return { ok: name === undefined ? undefined : c[name] };
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { problems: (err as ConfigError).problems };
  }
}

const full = (env: Record<string, string | undefined>, name?: string) => outcome(() => loadConfig(env), name);
const backtest = (env: Record<string, string | undefined>, name?: string) => outcome(() => loadBacktestConfig(env), name);

const BACKTEST_VARIABLES = Object.keys(BACKTEST_ENV_SHAPE);
/** Variables whose value is any text (a path). */
const ANY_TEXT = ['DATA_DIR', 'STRATEGIES_DIR'];

/** Values of every kind the fields take or refuse: numbers in and out of every range, booleans, enums, URLs, text. */
const VALUES = [
  '', ' ', 'abc', '-1', '0', '0.001', '0.005', '0.01', '0.05', '0.1', '0.5', '1', ' 2 ', '2.5', '5', '9.99', '10', '10.5', '20', '50', '99.99', '100', '100.5',
  '125', '1000', '1000.5', '3600', '10000', '100000', '2592000', '2592001', '2147483647', '2147483648', '1000000000000', '1000000000001', '1e3', '0x10', '1,5', 'NaN', 'Infinity',
  'true', 'false', 'TRUE', 'yes', 'no', '1 ', 'maybe', 'spot', 'swap', 'SWAP', 'futures', 'sim', 'binance', 'Binance', 'bin-ance',
  'postgres://u:p@db:5432/x', 'postgresql://db/x', 'mysql://u@db/x', 'http://db/x', 'not a url', './data', '/var/lib/tradeops', 'strategies/',
];

describe('the backtest part of the configuration', () => {
  it('is made of the very fields of the whole schema, in the same order', () => {
    for (const name of BACKTEST_VARIABLES) expect(ENV_SCHEMA_SHAPE[name as keyof typeof ENV_SCHEMA_SHAPE], name).toBe(BACKTEST_ENV_SHAPE[name as keyof typeof BACKTEST_ENV_SHAPE]);
    const fullOrder = Object.keys(ENV_SCHEMA_SHAPE).filter((name) => name in BACKTEST_ENV_SHAPE);
    expect(BACKTEST_VARIABLES).toEqual(fullOrder);
  });

  it('holds what the backtest command reads: the risk, Kelly, data and exchange variables', () => {
    for (const name of ['STRATEGIES_DIR', 'DATA_DIR', 'DATABASE_URL', 'EXCHANGE', 'EXCHANGE_MARKET', 'SIM_SEED', 'KELLY_FRACTION', 'MAX_POSITION_PCT', 'ORDER_SIZE_PCT', 'PANIC_THRESHOLD', 'COOLDOWN_MINUTES', 'FACTOR_MAX_AGE']) {
      expect(BACKTEST_VARIABLES).toContain(name);
    }
  });

  it('gives the same defaults as the whole configuration', () => {
    const all = loadConfig({}) as Record<string, unknown>;
    const part = loadBacktestConfig({}) as Record<string, unknown>;
    // Only its own variables: nothing of the bot's.
    expect(Object.keys(part).filter((k) => k !== 'dataDir' && !(k in BACKTEST_ENV_SHAPE))).toEqual([]);
    expect(part.KELLY_FRACTION).toBe(0.5);
    for (const name of [...BACKTEST_VARIABLES, 'dataDir']) expect(part[name], name).toEqual(all[name]);
  });

  it.each(BACKTEST_VARIABLES)('%s: every value accepted as the same value or refused with the same problem', (name) => {
    let refused = 0;
    for (const value of VALUES) {
      const a = full({ [name]: value }, name);
      expect(backtest({ [name]: value }, name), `${name}=${JSON.stringify(value)}`).toEqual(a);
      if ('problems' in a) refused++;
    }
    // The values hold some this variable takes and, unless it takes any text, some it refuses.
    expect(refused).toBeLessThan(VALUES.length);
    if (!ANY_TEXT.includes(name)) expect(refused).toBeGreaterThan(0);
  });

  it('lists several problems in the same order, with the same text', () => {
    const env = { KELLY_FRACTION: '2', DATABASE_URL: 'mysql://x', MAX_POSITION_PCT: '0', EXCHANGE: 'Bin ance', SIM_SEED: '-3', DAILY_LOSS_FLATTEN: 'perhaps' };
    const a = full(env);
    expect('problems' in a && a.problems.length).toBe(6);
    expect(backtest(env)).toEqual(a);
    expect(backtest(env)).toEqual({
      problems: [
        'DATABASE_URL: got (hidden) — expected a URL starting with postgres:// or postgresql://',
        'EXCHANGE: got "Bin ance" — expected sim or a ccxt exchange id (lowercase letters and digits, e.g. binance)',
        'SIM_SEED: got "-3" — expected a whole number from 0 to 2147483647',
        'MAX_POSITION_PCT: got "0" — expected a decimal number from 0.01 to 100',
        'DAILY_LOSS_FLATTEN: got "perhaps" — expected true or false',
        'KELLY_FRACTION: got "2" — expected a decimal number from 0.01 to 1',
      ],
    });
  });

  it('reads DATABASE_URL_FILE as the whole configuration does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-bt-config-'));
    const good = join(dir, 'url');
    const empty = join(dir, 'empty');
    const wrong = join(dir, 'wrong');
    writeFileSync(good, 'postgres://u:p@db:5432/x\n');
    writeFileSync(empty, '');
    writeFileSync(wrong, 'mysql://u@db/x\n');
    for (const env of [
      { DATABASE_URL_FILE: good },
      { DATABASE_URL_FILE: empty },
      { DATABASE_URL_FILE: wrong },
      { DATABASE_URL_FILE: join(dir, 'missing') },
      { DATABASE_URL_FILE: good, DATABASE_URL: 'postgres://other/x' },
      { DATABASE_URL_FILE: join(dir, 'missing'), KELLY_FRACTION: '5' },
    ]) {
      expect(backtest(env, 'DATABASE_URL'), JSON.stringify(env)).toEqual(full(env, 'DATABASE_URL'));
    }
    expect(loadBacktestConfig({ DATABASE_URL_FILE: good }).DATABASE_URL).toBe('postgres://u:p@db:5432/x');
  });

  it('leaves alone what only the bot reads: its variables, their secret files and the live-mode checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-bt-config-'));
    for (const env of [
      { TICK_CRON: 'every minute' },
      { MODE: 'live' },
      { MODE: 'test' },
      { HTTP_PORT: 'abc' },
      { TIMEFRAME: '7x' },
      { SIGNAL_SOURCES: '{bad' },
      { TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/webhooks/telegram' },
      { TELEGRAM_BOT_TOKEN_FILE: join(dir, 'missing') },
    ]) {
      expect('problems' in full(env), JSON.stringify(env)).toBe(true);
      expect(backtest(env), JSON.stringify(env)).toEqual({ ok: undefined });
    }
  });
});
