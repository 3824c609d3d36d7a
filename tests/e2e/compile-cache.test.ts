/**
 * Who keeps Node's compile cache (src/cli/compile-cache.ts, docs/performance.md "Resident memory on
 * PostgreSQL"): every command but the bot (bin/tradeops.js), the bot on the embedded database (its
 * ready time), not the bot on PostgreSQL — there Node would keep every module's cache entry in
 * memory for the life of the process. Checked on the real binary: a preloaded hook writes
 * `module.getCompileCacheDir()` when the process exits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.ts';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/tradeops.js');
const work = mkdtempSync(join(tmpdir(), 'compile-cache-'));

/** Run the built CLI with `args`; for `start`, stop it with SIGTERM once ready. Returns the cache folder at exit ('' = off). */
function cacheDirAtExit(args: string[], env: Record<string, string>): Promise<string> {
  const out = join(work, `dir-${Math.random().toString(36).slice(2)}.txt`);
  const hook = join(work, 'exit-hook.mjs');
  writeFileSync(hook, `import module from 'node:module';\nimport { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.CACHE_DIR_OUT, module.getCompileCacheDir() ?? ''));\n`);
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, BIN, ...args], { cwd: work, env: childEnv({ ...env, CACHE_DIR_OUT: out, DATA_DIR: mkdtempSync(join(work, 'data-')), HTTP_PORT: '0', CONSOLE: 'false', LOG_LEVEL: 'warn' }), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // One signal: a second one while it stops makes the bot exit at once.
      if (!stopping && /tradeops ready:/.test(stdout)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => {
      if (code !== 0) rej(new Error(`tradeops ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else res(readFileSync(out, 'utf8'));
    });
  });
}

describe.skipIf(typeof (module as { getCompileCacheDir?: unknown }).getCompileCacheDir !== 'function')('the compile cache', () => {
  it('is on for a command other than the bot (tradeops config)', async () => {
    expect(await cacheDirAtExit(['config'], {})).not.toBe('');
  });

  it('is on for the bot on the embedded database', async () => {
    expect(await cacheDirAtExit(['start'], {})).not.toBe('');
  }, 30_000);

  it.skipIf(!pgServerUrl())('is off for the bot on PostgreSQL', async () => {
    const db = await createTempDatabase();
    try {
      expect(await cacheDirAtExit(['start'], { DATABASE_URL: db.url })).toBe('');
    } finally {
      await db.drop();
    }
  }, 30_000);
});
