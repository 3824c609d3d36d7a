import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, readEnv, SECRET_VARIABLES } from '../../src/config.ts';
import { validateEnv } from '../../src/config-parse.ts';
import { configProblems } from '../support/config-problems.ts';

/**
 * Configuration read from files: secrets from `<NAME>_FILE`, the `.env` file (or ENV_FILE) merged
 * under the environment at start and read again for /reload_config, and the refusals an operator
 * reads when one of them is wrong.
 */

/** process.chdir() is refused in worker threads (the mutation-test runner's pool); `npm test` runs in processes. */
const canChdir = isMainThread;

const dir = mkdtempSync(join(tmpdir(), 'tradeops-config-files-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const problemsOf = configProblems;

describe('secrets from <NAME>_FILE', () => {
  it('every secret variable can be read from a file; exactly one trailing line break is dropped', () => {
    const values: Record<string, string> = {
      DATABASE_URL: 'postgres://u:p@db:5432/tradeops',
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/tok',
      HEARTBEAT_URL: 'https://hc.example.com/ping/abc',
      SIGNAL_SECRET: 'file-held-secret-123',
      SIGNAL_SOURCES: '{"tv":{"secret":"source-secret-0123"}}',
    };
    for (const name of SECRET_VARIABLES) {
      const value = values[name] ?? `${name.toLowerCase()}-value-0123456789`;
      expect(loadConfig({ SIGNAL_SECRET: name === 'SIGNAL_SECRET' ? undefined : 'env-held-secret-123', [`${name}_FILE`]: file(name, `${value}\n`) })[name], name).toBe(value);
    }
    expect(loadConfig({ METRICS_TOKEN_FILE: file('crlf', 'crlf-token-0123456789\r\n') }).METRICS_TOKEN).toBe('crlf-token-0123456789');
    expect(loadConfig({ METRICS_TOKEN_FILE: file('two', 'two-breaks-0123456789\n\n') }).METRICS_TOKEN).toBe('two-breaks-0123456789\n');
    expect(loadConfig({ METRICS_TOKEN_FILE: file('inner', 'in\nner-0123456789') }).METRICS_TOKEN).toBe('in\nner-0123456789');
  });

  it('ignores _FILE forms of variables that are not secrets', () => {
    expect(loadConfig({ STRATEGY_FILE: join(dir, 'missing') }).STRATEGY).toBe(loadConfig({}).STRATEGY);
  });

  it('names the _FILE variable, the path and the problem in each refusal', () => {
    const missing = join(dir, 'missing');
    expect(problemsOf({ TELEGRAM_BOT_TOKEN_FILE: missing })).toEqual([
      `TELEGRAM_BOT_TOKEN_FILE: got ${JSON.stringify(missing)} — cannot read it (ENOENT); expected a readable file holding the secret`,
    ]);
    const empty = file('empty', '');
    const newlineOnly = file('newline', '\n');
    expect(problemsOf({ METRICS_TOKEN_FILE: empty, LINE_CHANNEL_SECRET_FILE: newlineOnly })).toEqual([
      `LINE_CHANNEL_SECRET_FILE: got ${JSON.stringify(newlineOnly)} — the file is empty; expected a file holding the secret`,
      `METRICS_TOKEN_FILE: got ${JSON.stringify(empty)} — the file is empty; expected a file holding the secret`,
    ]);
    const key = file('key', 'key-from-file-123');
    expect(problemsOf({ EXCHANGE_API_KEY: 'x', EXCHANGE_API_KEY_FILE: key })).toEqual([
      `EXCHANGE_API_KEY_FILE: got ${JSON.stringify(key)} — EXCHANGE_API_KEY is set too; set one of EXCHANGE_API_KEY and EXCHANGE_API_KEY_FILE, not both`,
    ]);
  });

  it('reports a file problem together with the other refusals, file problems first', () => {
    const missing = join(dir, 'missing');
    expect(problemsOf({ DISCORD_BOT_TOKEN_FILE: missing, MODE: 'fast' })).toEqual([
      `DISCORD_BOT_TOKEN_FILE: got ${JSON.stringify(missing)} — cannot read it (ENOENT); expected a readable file holding the secret`,
      expect.stringMatching(/^MODE: got "fast" — /),
    ]);
  });

  it("names the operating system's reason for a path that is not a readable file", () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    expect(problemsOf({ SIGNAL_SECRET_FILE: sub })).toEqual([
      `SIGNAL_SECRET_FILE: got ${JSON.stringify(sub)} — cannot read it (EISDIR); expected a readable file holding the secret`,
    ]);
  });
});

describe('ConfigError and what a refusal shows', () => {
  it('lists every problem under one heading', () => {
    const err = new ConfigError(['A: got 1 — no', 'B: got 2 — no']);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toBe('invalid configuration:\n  - A: got 1 — no\n  - B: got 2 — no');
    expect(err.problems).toEqual(['A: got 1 — no', 'B: got 2 — no']);
  });

  it('shows a refused plain value as JSON, and a secret one as (hidden)', () => {
    expect(problemsOf({ LOG_FORMAT: 'xml' })[0]).toMatch(/^LOG_FORMAT: got "xml" — /);
    for (const [name, value] of [['DATABASE_URL', 'mysql://u:hunter22@db/x'], ['DISCORD_PUBLIC_KEY', 'hunter22'], ['HEARTBEAT_URL', 'hunter22']] as const) {
      expect(problemsOf({ [name]: value })[0], name).toMatch(new RegExp(`^${name}: got \\(hidden\\) — `));
    }
  });

  it('refuses JSON that is not an object, and text that is not JSON, with the same line', () => {
    for (const value of ['[1]', 'null', '3', '{bad']) {
      expect(problemsOf({ STRATEGY_PARAMS: value }), value).toEqual([`STRATEGY_PARAMS: got ${JSON.stringify(value)} — expected a JSON object such as {"fast":10,"slow":30}`]);
    }
  });

  it('names a refusal of the whole configuration (no variable) "(config)"', () => {
    const shape = { A: z.string().optional(), B: z.string().optional() };
    const schema = z.object(shape).refine((e) => e.A === undefined || e.B !== undefined, { message: 'A needs B' });
    expect(() => validateEnv(schema, shape, { A: 'x' })).toThrow(new ConfigError(['(config): got nothing — A needs B']));
    expect(validateEnv(schema, shape, { A: 'x', B: 'y' })).toEqual({ A: 'x', B: 'y' });
  });

  it('shows the default when the refusal is about an unset variable, and "nothing" when there is none', () => {
    // TIMEFRAME has a default; the live-mode checks refuse unset variables without one.
    const live = problemsOf({ MODE: 'live' });
    expect(live).toContain('LIVE_TRADING_ACK: got nothing — live mode trades real money: set LIVE_TRADING_ACK=yes to confirm');
    expect(live).toContain('EXCHANGE: got "sim" — live mode needs a real exchange id (binance, bybit, okx, …), not sim');
    expect(live).toContain('EXCHANGE_API_KEY: got nothing — live mode needs exchange API credentials');
    expect(live).toContain('EXCHANGE_API_SECRET: got nothing — live mode needs exchange API credentials');
  });

  it('refuses a webhook URL without its secret, and invalid signal sources with their own reason', () => {
    expect(problemsOf({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/webhooks/telegram' })).toEqual([
      'TELEGRAM_WEBHOOK_SECRET: got nothing — webhook mode (TELEGRAM_WEBHOOK_URL set) requires a secret token',
    ]);
    const [line] = problemsOf({ SIGNAL_SOURCES: 'tv' });
    expect(line).toMatch(/^SIGNAL_SOURCES: got \(hidden\) — expected a JSON object such as /);
  });

  it('gives the data directory as an absolute path', () => {
    expect(loadConfig({ DATA_DIR: 'some/data' }).dataDir).toBe(resolve('some/data'));
  });
});

describe('the .env file (ENV_FILE)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('is merged under the environment: a variable set in the environment wins', () => {
    process.env.ENV_FILE = file('merge.env', 'TRADEOPS_T_FROM_FILE=file\nTRADEOPS_T_BOTH=file\n');
    process.env.TRADEOPS_T_BOTH = 'environment';
    const env = readEnv();
    expect(env).toBe(process.env);
    expect([env.TRADEOPS_T_FROM_FILE, env.TRADEOPS_T_BOTH]).toEqual(['file', 'environment']);
  });

  it('is optional: a missing file leaves the environment as it is', () => {
    process.env.ENV_FILE = join(dir, 'no-such.env');
    const before = { ...process.env };
    expect({ ...readEnv() }).toEqual(before);
  });

  it('refuses a file it cannot read, naming ENV_FILE and the path', () => {
    const sub = join(dir, 'env-dir');
    mkdirSync(sub, { recursive: true });
    process.env.ENV_FILE = sub;
    expect(() => readEnv()).toThrow(ConfigError);
    expect(() => readEnv()).toThrow(new RegExp(`^invalid configuration:\\n {2}- ENV_FILE: cannot read ${sub}: \\S`));
  });

  it.runIf(canChdir)('reads ./.env when ENV_FILE is not set', () => {
    delete process.env.ENV_FILE;
    const cwd = mkdtempSync(join(tmpdir(), 'tradeops-cwd-'));
    writeFileSync(join(cwd, '.env'), 'TRADEOPS_T_DOTENV=here\n');
    const back = process.cwd();
    process.chdir(cwd);
    try {
      expect(readEnv().TRADEOPS_T_DOTENV).toBe('here');
    } finally {
      process.chdir(back);
    }
  });
});

describe('the .env file read again for /reload_config', () => {
  // ENV_FILE given at start: tests/unit/config-reread.test.ts (config.ts loaded with it, not re-imported).
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    vi.resetModules();
  });

  it.runIf(canChdir)('reads ./.env when ENV_FILE was not set at start', async () => {
    delete process.env.ENV_FILE;
    const cwd = mkdtempSync(join(tmpdir(), 'tradeops-cwd-'));
    writeFileSync(join(cwd, '.env'), 'TRADEOPS_R_D=dotenv\n');
    // STARTUP_ENV is taken when config.ts is first loaded: load a fresh copy without ENV_FILE.
    vi.resetModules();
    const config = await import('../../src/config.ts');
    const back = process.cwd();
    process.chdir(cwd);
    try {
      expect(config.rereadEnv().TRADEOPS_R_D).toBe('dotenv');
    } finally {
      process.chdir(back);
    }
  });
});
