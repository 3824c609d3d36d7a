import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { renderEnvExample } from '../../../src/cli/config-command.ts';

function io(env: Record<string, string> = {}): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdin: new PassThrough(), stdout, stderr, env, out: () => out, err: () => err };
}

describe('tradeops CLI dispatch', () => {
  it('lists every subcommand with --help and prints the version', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    for (const cmd of ['start', 'migrate', 'backtest', 'fetch-data', 'import-candles', 'config']) expect(a.out()).toContain(cmd);
    const b = io();
    expect(await main(['--version'], b)).toBe(0);
    expect(b.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('gives every subcommand a --help', async () => {
    for (const cmd of ['start', 'migrate', 'backtest', 'fetch-data', 'import-candles', 'config']) {
      const a = io();
      expect(await main([cmd, '--help'], a), cmd).toBe(0);
      expect(a.out(), cmd).toMatch(/Usage: tradeops/);
    }
  });

  it('refuses an unknown command and an unknown option with exit code 2', async () => {
    const a = io();
    expect(await main(['frobnicate'], a)).toBe(2);
    expect(a.err()).toContain('unknown command "frobnicate"');
    const b = io();
    expect(await main(['config', '--nope'], b)).toBe(2);
    expect(b.err()).toMatch(/--nope/);
  });

  it('config: checks the configuration (exit 2 naming the variable) and prints the example', async () => {
    const ok = io({ MODE: 'paper' });
    expect(await main(['config'], ok)).toBe(0);
    expect(ok.out()).toContain('configuration OK: mode=paper exchange=sim');
    const bad = io({ HTTP_PORT: 'abc' });
    expect(await main(['config'], bad)).toBe(2);
    expect(bad.err()).toContain('HTTP_PORT: got "abc"');
    const ex = io();
    expect(await main(['config', '--example'], ex)).toBe(0);
    expect(ex.out()).toBe(renderEnvExample());
  });
});
