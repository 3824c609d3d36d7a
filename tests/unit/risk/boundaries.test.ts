import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('src/risk boundaries', () => {
  const files = tsFiles(join(root, 'src/risk'));

  it('holds the risk gate (decide, sizing)', () => {
    const names = files.map((f) => relative(join(root, 'src/risk'), f));
    expect(names).toContain('decide.ts');
    expect(names).toContain('sizing.ts');
  });

  it('imports neither the engine (its bus included) nor any adapter', () => {
    const offending = files.flatMap((f) => imports(f).filter((i) => /\/(engine|adapters)\//.test(i)).map((i) => `${relative(root, f)} → ${i}`));
    expect(offending).toEqual([]);
  });
});
