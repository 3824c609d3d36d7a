import { describe, expect, it } from 'vitest';
import { ENV_DOCS, ENV_SCHEMA_SHAPE } from '../../src/config-schema.ts';
import { ConfigError, loadConfig, SECRET_VARIABLES } from '../../src/config.ts';
import { configProblems } from '../support/config-problems.ts';

const problemsOf = configProblems;

describe('config', () => {
  it('starts with no configuration at all: paper, sim, embedded database', () => {
    const c = loadConfig({});
    expect(c.MODE).toBe('paper');
    expect(c.EXCHANGE).toBe('sim');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.SYMBOLS).toEqual(['BTC/USDT']);
    expect(c.STRATEGY_PARAMS).toEqual({});
  });

  it('treats empty values (an untouched .env.example) as unset', () => {
    const env = Object.fromEntries(Object.keys(ENV_DOCS).map((k) => [k, '']));
    expect(loadConfig(env).MODE).toBe('paper');
  });

  it.each([
    [{ MODE: 'fast' }, 'MODE', '"fast"', 'paper, live'],
    [{ HTTP_PORT: 'abc' }, 'HTTP_PORT', '"abc"', 'whole number from 0 to 65535'],
    [{ HTTP_PORT: '70000' }, 'HTTP_PORT', '"70000"', 'whole number'],
    [{ HTTP_PORT: '80.5' }, 'HTTP_PORT', '"80.5"', 'whole number'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', '"xml"', 'json or pretty'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', '"loud"', 'trace'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', '(hidden)', 'postgres://'],
    [{ SYMBOLS: 'btc-usdt' }, 'SYMBOLS', '"btc-usdt"', 'BTC/USDT'],
    [{ TIMEFRAME: '7x' }, 'TIMEFRAME', '"7x"', '1m'],
    [{ STRATEGY_PARAMS: '{bad' }, 'STRATEGY_PARAMS', '"{bad"', 'JSON object'],
    [{ STRATEGY_PARAMS: '[1,2]' }, 'STRATEGY_PARAMS', '"[1,2]"', 'JSON object'],
    [{ SIM_SPEED: '0' }, 'SIM_SPEED', '"0"', 'decimal number'],
    [{ EXCHANGE_MARKET: 'futures' }, 'EXCHANGE_MARKET', '"futures"', 'spot or swap'],
    [{ EXCHANGE_SANDBOX: 'maybe' }, 'EXCHANGE_SANDBOX', '"maybe"', 'true or false'],
    [{ DISCORD_PUBLIC_KEY: 'xyz' }, 'DISCORD_PUBLIC_KEY', '(hidden)', '64 hex'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/webhooks/telegram' }, 'TELEGRAM_WEBHOOK_SECRET', 'nothing', 'secret'],
  ])('refuses %j naming the variable, the value and what it accepts', (env, name, shown, accepts) => {
    const problems = problemsOf(env as Record<string, string>);
    const line = problems.find((p) => p.startsWith(`${name}:`));
    expect(line, problems.join('\n')).toBeDefined();
    expect(line).toContain(shown);
    expect(line).toContain(accepts);
  });

  it('refuses live mode without the acknowledgement, a real exchange and keys', () => {
    const problems = problemsOf({ MODE: 'live' });
    expect(problems.some((p) => p.startsWith('LIVE_TRADING_ACK:') && p.includes('LIVE_TRADING_ACK=yes'))).toBe(true);
    expect(problems.some((p) => p.startsWith('EXCHANGE:') && p.includes('"sim"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('EXCHANGE_API_KEY:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('EXCHANGE_API_SECRET:'))).toBe(true);
  });

  it('accepts live mode with everything in place', () => {
    const c = loadConfig({ MODE: 'live', LIVE_TRADING_ACK: 'yes', EXCHANGE: 'binance', EXCHANGE_API_KEY: 'k'.repeat(20), EXCHANGE_API_SECRET: 's'.repeat(20) });
    expect(c.MODE).toBe('live');
  });

  it('never echoes a secret value in an error', () => {
    const problems = problemsOf({ DISCORD_PUBLIC_KEY: 'supersecretvalue' });
    expect(problems.join('\n')).not.toContain('supersecretvalue');
  });

  it.each(['DISCORD_WEBHOOK_URL', 'HEARTBEAT_URL'])('hides %s (a URL that is itself the credential) in its refusal', (name) => {
    const problems = problemsOf({ [name]: 'ftp://example.com/api/webhooks/123/tok3n-supersecret' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: got \\(hidden\\) — expected a URL`));
    expect(problems[0]).not.toContain('supersecret');
  });

  it('every secret variable is hidden when refused', () => {
    for (const name of SECRET_VARIABLES) {
      let problems: string[] = [];
      try {
        loadConfig({ [name]: 'ftp:// {supersecret' });
      } catch (err) {
        problems = (err as ConfigError).problems;
      }
      expect(problems.join('\n'), name).not.toContain('supersecret');
    }
  });

  it('documents every variable the schema knows, and nothing else', () => {
    expect(Object.keys(ENV_DOCS).sort()).toEqual(Object.keys(ENV_SCHEMA_SHAPE).sort());
  });
});

describe('ALERT_LEVELS', () => {
  it('parses per-type default levels and refuses unknown types or levels', () => {
    expect(loadConfig({ ALERT_LEVELS: 'fill:off, entry:silent' }).ALERT_LEVELS).toEqual({ fill: 'off', entry: 'silent' });
    expect(loadConfig({}).ALERT_LEVELS).toEqual({});
    for (const bad of ['fills:off', 'fill:loud', 'fill']) {
      expect(() => loadConfig({ ALERT_LEVELS: bad })).toThrow(/ALERT_LEVELS: got .* is not TYPE:on\|silent\|off/);
    }
  });
});
