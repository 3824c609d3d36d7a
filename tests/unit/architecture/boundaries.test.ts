import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every `import … from '…'` / `import('…')` specifier of a file, with whether it is type-only. */
function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

const resolve = (file: string, spec: string) => (spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec);

describe('architecture boundaries', () => {
  it('the command core imports no adapter and knows no platform: storage through ports/chat-store.ts', () => {
    const offending: string[] = [];
    for (const file of files('commands')) {
      for (const { spec, typeOnly } of imports(file)) {
        const target = resolve(file, spec);
        if (target.startsWith('src/adapters/')) offending.push(`${file} → ${target}`);
        // The platform list may be named for its derived types only.
        if (target === 'src/chat-platforms.ts' && !typeOnly) offending.push(`${file} → ${target} (value import)`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('alerts/ imports no adapter: outbox and settings through ports/alert-store.ts', () => {
    const offending: string[] = [];
    for (const file of files('src/alerts')) {
      for (const { spec } of imports(file)) {
        const target = resolve(file, spec);
        if (target.startsWith('src/adapters/')) offending.push(`${file} → ${target}`);
      }
    }
    expect(files('src/alerts')).toContain('src/alerts/outbox.ts');
    expect(offending).toEqual([]);
  });

  it('no file outside the chat adapters names a platform in a union type: the types derive from src/chat-platforms.ts', () => {
    const offending: string[] = [];
    for (const file of [...files('commands'), ...files('src/alerts')]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      if (/'telegram'\s*\|\s*'discord'/.test(text)) offending.push(file);
    }
    expect(offending).toEqual([]);
  });
});
