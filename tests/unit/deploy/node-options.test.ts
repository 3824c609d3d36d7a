/**
 * The bot's Node options are given on the command line — V8 sizes the young generation when the
 * heap is set up, so `setFlagsFromString` at run time cannot do it — in two places that must agree:
 * `npm start` and the Docker image's entry point. And the option must really shrink the heap's
 * young generation (the resident-memory figures in docs/performance.md rest on it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function startScriptOptions(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/tradeops\.js start$/.exec(script);
  expect(m, `npm start is "${script}"`).not.toBeNull();
  return m![1]!.trim().split(' ').filter(Boolean);
}

function dockerEntryPointOptions(): string[] {
  const line = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ENTRYPOINT '));
  expect(line).toBeDefined();
  const argv = JSON.parse(line!.slice('ENTRYPOINT '.length)) as string[];
  const node = argv.indexOf('node');
  const bin = argv.indexOf('bin/tradeops.js');
  expect(node).toBeGreaterThanOrEqual(0);
  expect(bin).toBeGreaterThan(node);
  return argv.slice(node + 1, bin);
}

describe('the Node options the bot runs with', () => {
  it('npm start and the Docker entry point give the same options, a small young generation among them', () => {
    // The image also caps glibc's malloc arenas (an environment variable, read before Node starts).
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^\s+MALLOC_ARENA_MAX=2$/m);
    const options = startScriptOptions();
    expect(options).toContain('--max-semi-space-size=2');
    expect(dockerEntryPointOptions()).toEqual(options);
  });

  it('one V8 worker thread: fewer threads, so fewer malloc arenas resident (~5 MiB on the idle bot)', () => {
    const options = startScriptOptions();
    expect(options).toContain('--v8-pool-size=1');
    if (process.platform !== 'linux') return; // threads are counted in /proc
    const probe = `setTimeout(() => process.stdout.write(String(require('node:fs').readdirSync('/proc/self/task').length)), 50);`;
    const threads = (opts: string[]) => Number(execFileSync(process.execPath, [...opts, '-e', probe], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '4' } }));
    expect(threads(['--v8-pool-size=4'])).toBe(threads(options) + 3);
  });

  it('the option caps the young generation (given on the command line; at run time V8 ignores it)', () => {
    const probe = `const v8 = require('node:v8');
      if (process.argv[1] === 'runtime') v8.setFlagsFromString('--max-semi-space-size=2');
      let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 100000) keep = []; }
      process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`;
    const newSpace = (options: string[], mode = '') => Number(execFileSync(process.execPath, [...options, '-e', probe, mode], { encoding: 'utf8' }));
    const given = newSpace(startScriptOptions());
    const atRunTime = newSpace([], 'runtime');
    expect(given).toBeLessThanOrEqual(3 * 2 * 1048576); // two 2 MiB semi-spaces (plus V8's rounding)
    expect(atRunTime).toBeGreaterThan(given); // why the option is on the command line and not in the code
  });
});
