import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src/adapters/db/leader-lock.ts';

describe('PGlite data directory lock', () => {
  it('refuses a second owner while the first lives, with a clear message, and frees on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-lock-'));
    const first = lockDataDir(dir);
    expect(readFileSync(join(dir, 'tradeops.pid'), 'utf8')).toBe(String(process.pid));
    // Another live process (our parent) would be the owner:
    writeFileSync(join(dir, 'tradeops.pid'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(/in use by another tradeops process \(pid \d+\).*one process per data directory/);
    writeFileSync(join(dir, 'tradeops.pid'), String(process.pid));
    first.release();
    const again = lockDataDir(dir);
    again.release();
  });

  it('takes over a lock file left by a process that is gone (SIGKILL)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-lock-'));
    writeFileSync(join(dir, 'tradeops.pid'), '2147483646');
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, 'tradeops.pid'), 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
