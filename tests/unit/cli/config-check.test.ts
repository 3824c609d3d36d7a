import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { loadConfig } from '../../../src/config.ts';

function io(env: Record<string, string> = {}): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdin: new PassThrough(), stdout, stderr, env, out: () => out, err: () => err };
}

async function refused(env: Record<string, string>): Promise<string> {
  const a = io(env);
  const code = await main(['config'], a);
  expect(code, `${JSON.stringify(env)} → ${a.out()}`).toBe(2);
  expect(a.out()).not.toContain('configuration OK');
  return a.err();
}

describe('tradeops config runs every check start runs, naming variable, value and what is accepted', () => {
  it.each([
    ['* * *', 'TICK_CRON: got "* * *"'],
    ['99 * * * * *', 'TICK_CRON: got "99 * * * * *"'],
    ['61 * * * *', 'TICK_CRON: got "61 * * * *"'],
  ])('TICK_CRON=%s', async (value, expected) => {
    const err = await refused({ TICK_CRON: value });
    expect(err).toContain(expected);
    expect(err).toContain('node-cron expression');
  });

  it.each([
    ['telegram123', 'CHAT_USERS entry 1 "telegram123"'],
    ['telegram:abc=admin', 'CHAT_USERS entry 1 "telegram:abc=admin"'],
    ['telegram:123=boss', 'CHAT_USERS entry 1 "telegram:123=boss"'],
  ])('CHAT_USERS=%s', async (value, expected) => {
    const err = await refused({ CHAT_USERS: value });
    expect(err).toContain(expected);
  });

  it.each(['not a host!', 'exa mple.com', '-bad-.host', '300.1.1.1.1'])('HTTP_HOST=%s', async (value) => {
    const err = await refused({ HTTP_HOST: value });
    expect(err).toContain(`HTTP_HOST: got ${JSON.stringify(value)}`);
    expect(err).toContain('expected an address to bind');
  });

  it('EXCHANGE: an unknown ccxt id names EXCHANGE (not EXCHANGE_ID) and suggests the near one', async () => {
    const err = await refused({ EXCHANGE: 'binanse' });
    expect(err).toContain('EXCHANGE: got "binanse"');
    expect(err).toContain('did you mean binance');
    expect(err).not.toContain('EXCHANGE_ID');
    expect(await refused({ EXCHANGE: 'Binance' })).toContain('EXCHANGE: got "Binance"');
  });

  it("STRATEGY_PARAMS: wrong types against the strategy's own schema, and an unknown strategy", async () => {
    const err = await refused({ STRATEGY: 'sma-cross', STRATEGY_PARAMS: '{"fast":"ten"}' });
    expect(err).toContain('STRATEGY_PARAMS: got {"fast":"ten"}');
    expect(err).toContain('fast');
    expect(await refused({ STRATEGY_PARAMS: '{"fast":10,"bogus":1}' })).toContain('STRATEGY_PARAMS');
    const unknown = await refused({ STRATEGY: 'no-such-strategy' });
    expect(unknown).toContain('STRATEGY: got "no-such-strategy"');
    expect(unknown).toContain('sma-cross');
  });

  it('SIM_DATA: a missing file', async () => {
    const err = await refused({ SIM_DATA: '/nonexistent/candles.csv' });
    expect(err).toContain('SIM_DATA: got "/nonexistent/candles.csv" — no such file');
  });

  it('SIGNAL_SOURCES and signal settings', async () => {
    expect(await refused({ SIGNAL_SOURCES: 'not json' })).toContain('SIGNAL_SOURCES: got (hidden) — expected a JSON object');
    expect(await refused({ SIGNAL_SOURCES: '{"tv":{"secret":"short"}}' })).toContain('source "tv": secret: expected at least 12 characters');
    expect(await refused({ SIGNAL_SOURCES: '{"tv":{"secret":"long-enough-secret","leverage":3}}' })).toContain('source "tv"');
    expect(await refused({ SIGNAL_ALLOWED_IPS: '1.2.3.4,nope' })).toContain('SIGNAL_ALLOWED_IPS: got "1.2.3.4,nope"');
    expect(await refused({ SIGNAL_SECRET: 'short' })).toContain('SIGNAL_SECRET: got (hidden) — expected at least 12 characters');
    expect(await refused({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN: got (hidden)');
  });

  it('reports every problem at once, and passes a good configuration with a warning for an open /metrics', async () => {
    const err = await refused({ TICK_CRON: '* * *', CHAT_USERS: 'telegram123', SIM_DATA: '/nope.csv' });
    expect(err).toContain('TICK_CRON');
    const later = await refused({ CHAT_USERS: 'telegram123', SIM_DATA: '/nope.csv' });
    expect(later).toContain('CHAT_USERS');
    expect(later).toContain('SIM_DATA');
    const ok = io({ HTTP_HOST: '0.0.0.0', TICK_CRON: '*/5 * * * * *', CHAT_USERS: 'telegram:123=admin' });
    expect(await main(['config'], ok)).toBe(0);
    expect(ok.out()).toContain('warning: HTTP_HOST=0.0.0.0 binds beyond loopback and METRICS_TOKEN is not set');
    expect(ok.out()).toContain('configuration OK');
  });
});

describe('secrets from files (NAME_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeops-secrets-'));
  it('reads the secret from the file, without its trailing newline', () => {
    const f = join(dir, 'signal');
    writeFileSync(f, 'file-held-secret-123\n');
    expect(loadConfig({ SIGNAL_SECRET_FILE: f }).SIGNAL_SECRET).toBe('file-held-secret-123');
    const db = join(dir, 'db');
    writeFileSync(db, 'postgres://u:p@db:5432/tradeops');
    expect(loadConfig({ DATABASE_URL_FILE: db }).DATABASE_URL).toBe('postgres://u:p@db:5432/tradeops');
  });
  it('refuses a missing file, an empty file and both forms at once, naming the _FILE variable', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN_FILE: join(dir, 'missing') })).toThrow(/TELEGRAM_BOT_TOKEN_FILE: got ".*missing" — cannot read it \(ENOENT\)/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(() => loadConfig({ METRICS_TOKEN_FILE: empty })).toThrow(/METRICS_TOKEN_FILE: .* the file is empty/);
    const f = join(dir, 'k');
    writeFileSync(f, 'key');
    expect(() => loadConfig({ EXCHANGE_API_KEY: 'x', EXCHANGE_API_KEY_FILE: f })).toThrow(/EXCHANGE_API_KEY_FILE: .* set one of EXCHANGE_API_KEY and EXCHANGE_API_KEY_FILE, not both/);
  });
  it("a file's secret is validated like the variable (and never shown)", () => {
    const f = join(dir, 'short');
    writeFileSync(f, 'tiny');
    expect(() => loadConfig({ SIGNAL_SECRET_FILE: f })).toThrow(/SIGNAL_SECRET: got \(hidden\) — expected at least 12 characters/);
  });
});
