import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedFromTemplate } from '../../../../src/adapters/db/pglite-template.ts';

const installed = (() => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let d = dirname(entry); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) {
      const p = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name: string; version: string };
      if (p.name === '@electric-sql/pglite') return p.version;
    }
  }
})();

function fakeTemplate(version: string): string {
  const root = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  const t = join(root, 'template');
  mkdirSync(join(t, 'base', '1'), { recursive: true });
  writeFileSync(join(t, 'PG_VERSION'), '18\n');
  writeFileSync(join(t, 'base', '1', 'x'), 'data');
  writeFileSync(`${t}.version`, version);
  return t;
}

describe('seeding a new embedded database directory from the build template', () => {
  it('copies the template into a missing or empty directory', () => {
    const t = fakeTemplate(installed);
    const missing = join(mkdtempSync(join(tmpdir(), 'seed-')), 'pgdata');
    expect(seedFromTemplate(missing, t)).toBe(true);
    expect(readFileSync(join(missing, 'base', '1', 'x'), 'utf8')).toBe('data');
    const empty = mkdtempSync(join(tmpdir(), 'seed-'));
    expect(seedFromTemplate(empty, t)).toBe(true);
    expect(existsSync(join(empty, 'PG_VERSION'))).toBe(true);
  });

  it('never touches a directory that holds anything', () => {
    const t = fakeTemplate(installed);
    const used = mkdtempSync(join(tmpdir(), 'seed-'));
    writeFileSync(join(used, 'keep.txt'), 'mine');
    expect(seedFromTemplate(used, t)).toBe(false);
    expect(existsSync(join(used, 'PG_VERSION'))).toBe(false);
  });

  it('ignores a template made by another PGlite version, or none at all', () => {
    const other = fakeTemplate('0.0.1');
    expect(seedFromTemplate(join(mkdtempSync(join(tmpdir(), 'seed-')), 'pgdata'), other)).toBe(false);
    expect(seedFromTemplate(join(mkdtempSync(join(tmpdir(), 'seed-')), 'pgdata'), join(tmpdir(), 'no-such-template'))).toBe(false);
  });
});
