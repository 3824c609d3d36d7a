/**
 * The bot's Node options are given on the command line — V8 sizes the young generation when the
 * heap is set up, so `setFlagsFromString` at run time cannot do it — in three places that must agree:
 * `npm start`, the Docker image's entry point and the shebang of bin/tradeops.js (what the installed
 * `tradeops` command runs: `env -S` splits the line, in the same process). And the option must
 * really shrink the heap's young generation (the resident-memory figures in docs/performance.md
 * rest on it), also for the command started through its shebang.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
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

/** bin/tradeops.js's first line, `#!/usr/bin/env -S [NAME=VALUE …] node OPTIONS`: its variables and options. */
function shebang(): { variables: string[]; options: string[] } {
  const first = readFileSync(join(ROOT, 'bin/tradeops.js'), 'utf8').split('\n')[0]!;
  const m = /^#!\/usr\/bin\/env -S((?: [A-Z_]+=\S+)*) node((?: --[\w-]+(?:=\S+)?)*)$/.exec(first);
  expect(m, `the shebang is "${first}"`).not.toBeNull();
  return { variables: m![1]!.trim().split(' ').filter(Boolean), options: m![2]!.trim().split(' ').filter(Boolean) };
}
const shebangOptions = () => shebang().options;
const shebangVariables = () => shebang().variables;

describe('the Node options the bot runs with', () => {
  it('npm start, the Docker entry point and the shebang of the installed command give the same options, a small young generation among them', () => {
    // The image and the installed command also cap glibc's malloc arenas (an environment variable, read before Node starts).
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^\s+MALLOC_ARENA_MAX=2$/m);
    expect(shebangVariables()).toEqual(['MALLOC_ARENA_MAX=2']);
    const options = startScriptOptions();
    expect(options).toContain('--max-semi-space-size=2');
    expect(dockerEntryPointOptions()).toEqual(options);
    expect(shebangOptions()).toEqual(options);
  });

  it.skipIf(process.platform === 'win32')('the command started through its shebang (as the installed `tradeops` is) runs with them', () => {
    // A preloaded probe grows the young generation as far as the options let it and reports its size at exit.
    const probe = join(mkdtempSync(join(tmpdir(), 'node-options-')), 'probe.mjs');
    writeFileSync(probe, `import v8 from 'node:v8';
      process.on('exit', () => {
        let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 100000) keep = []; }
        process.stderr.write('new_space ' + v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n');
      });`);
    // The PATH's node, as `env` finds it for an installed command.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, NODE_OPTIONS: `--import=${probe}` };
    const newSpace = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, [...args, '--version'], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return Number(/new_space (\d+)/.exec(r.stderr)![1]);
    };
    const bin = join(ROOT, 'bin/tradeops.js');
    const viaShebang = newSpace(bin, []);
    const withoutOptions = newSpace(process.execPath, [bin]);
    expect(viaShebang).toBeLessThanOrEqual(3 * 2 * 1048576);
    expect(withoutOptions).toBeGreaterThan(viaShebang);
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
