/**
 * The build bundles drizzle-orm, zod, pg-boss and prom-client (with their dependencies) into dist/vendor/ so the bot
 * loads a few files instead of hundreds (scripts/build.mjs, docs/performance.md). What users run must
 * import the bundles — one copy of each package, not a bundle here and node_modules there — and
 * the bundles must work. dist/ is built by the test run's global setup.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../../dist');
const BUNDLED = ['drizzle-orm', 'zod', 'pg-boss', 'prom-client'];

function builtFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) builtFiles(p, out);
    else if (p.endsWith('.js')) out.push(p);
  }
  return out;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\1/g;

describe('vendored bundles in the build', () => {
  const files = [...builtFiles(join(DIST, 'src')), ...builtFiles(join(DIST, 'commands'))];

  it('no built file imports a bundled package from node_modules, and every vendored import exists', () => {
    expect(files.length).toBeGreaterThan(100);
    const bare: string[] = [];
    let vendored = 0;
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(SPECIFIER)) {
        const spec = m[2]!;
        if (BUNDLED.some((p) => spec === p || spec.startsWith(`${p}/`))) bare.push(`${f}: ${spec}`);
        if (spec.includes('/vendor/')) {
          vendored++;
          expect(existsSync(resolve(dirname(f), spec)), `${f} imports ${spec}`).toBe(true);
        }
      }
    }
    expect(bare).toEqual([]);
    expect(vendored).toBeGreaterThan(10);
  });

  it('each bundle is stamped with the installed version of its package', () => {
    for (const [pkg, dir] of [['drizzle-orm', 'drizzle'], ['zod', 'zod'], ['pg-boss', 'pg-boss'], ['prom-client', 'prom-client']] as const) {
      const installed = (JSON.parse(readFileSync(resolve(import.meta.dirname, `../../../node_modules/${pkg}/package.json`), 'utf8')) as { version: string }).version;
      expect(readFileSync(join(DIST, 'vendor', dir, 'VERSION'), 'utf8').split(' ')[0]).toBe(installed);
    }
  });

  it('what the bot keeps in memory is small: bundles minified with names kept, built files without comments', () => {
    // V8 keeps every module's source for lazy compilation: comments and indentation are resident memory.
    for (const dir of ['drizzle', 'zod', 'pg-boss', 'prom-client']) {
      expect(readFileSync(join(DIST, 'vendor', dir, 'VERSION'), 'utf8')).toMatch(/ minified$/);
    }
    const boss = readFileSync(join(DIST, 'vendor/pg-boss/index.js'), 'utf8');
    expect(boss.length / boss.split('\n').length).toBeGreaterThan(150); // unminified esbuild output: ~40 characters a line
    expect(boss.includes('PgBoss=class')).toBe(true); // names stay, so stack traces read
    const source = readFileSync(resolve(import.meta.dirname, '../../../src/cli/start.ts'), 'utf8');
    const built = readFileSync(join(DIST, 'src/cli/start.js'), 'utf8');
    expect(source).toContain('V8 settings for the long-running bot');
    expect(built).not.toContain('V8 settings for the long-running bot');
    expect(built).toContain('tuneForLongRun');
  });

  it('the bundles work: zod validates, pg-boss exports its queue and the PGlite adapter', async () => {
    const { z } = (await import(pathToFileURL(join(DIST, 'vendor/zod/index.js')).href)) as typeof import('zod');
    const schema = z.object({ n: z.number().int().min(2) });
    expect(schema.parse({ n: 3 })).toEqual({ n: 3 });
    expect(schema.safeParse({ n: 1 }).success).toBe(false);
    const boss = (await import(pathToFileURL(join(DIST, 'vendor/pg-boss/index.js')).href)) as Record<string, unknown>;
    expect(typeof boss.PgBoss).toBe('function');
    expect(typeof boss.fromPglite).toBe('function');
    // prom-client is CommonJS: its bundle re-exports its names, and the default metrics (which use the bundled OpenTelemetry API) work
    const prom = (await import(pathToFileURL(join(DIST, 'vendor/prom-client/index.js')).href)) as typeof import('prom-client');
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry });
    new prom.Counter({ name: 'vendored_total', help: 'a counter', registers: [registry] }).inc(2);
    const text = await registry.metrics();
    expect(text).toContain('vendored_total 2');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
