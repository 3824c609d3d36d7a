/**
 * `tuneForLongRun` (src/cli/start.ts): the bot drops the bytecode of run-once code after two full
 * garbage collections instead of V8's six (docs/performance.md, "Resident memory on PostgreSQL").
 * Checked in a fresh Node process (V8 flags are process-wide): a large function is run once, the
 * heap is made to collect fully four times on its own (forced collections do not age code), and the
 * function is run again — if its bytecode was dropped, the second call compiles it again, which
 * shows as ~100 KB of new heap.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

const PROBE = `
import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PerformanceObserver, constants } from 'node:perf_hooks';
if (process.argv[2] === 'tuned') (await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/cli/start.ts')).href)})).tuneForLongRun();
const used = () => v8.getHeapSpaceStatistics().reduce((a, s) => a + s.space_used_size, 0);
const file = process.argv[3];
const body = Array.from({ length: 3000 }, (_, i) => '  s += (x * ' + i + ') % 7;').join('\\n');
writeFileSync(file, 'export function once(x) {\\n  let s = 0;\\n' + body + '\\n  return s;\\n}\\n');
const { once } = await import(pathToFileURL(file).href);
let majors = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++; }).observe({ entryTypes: ['gc'] });
once(3);
const t0 = Date.now();
let keep;
while (majors < 4 && Date.now() - t0 < 30000) { keep = new Array(1 << 20).fill(1.5); await new Promise((r) => setImmediate(r)); }
const before = used();
once(3);
process.stdout.write(JSON.stringify({ majors, recompiledBytes: used() - before }));
`;

function probe(mode: 'tuned' | 'default'): { majors: number; recompiledBytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'long-run-flags-'));
  const script = join(dir, 'probe.mjs');
  writeFileSync(script, PROBE);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, mode, join(dir, 'once.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { majors: number; recompiledBytes: number };
}

describe('the long-running bot’s V8 flags', () => {
  it('drop the bytecode of a function run once after four full collections (V8’s default keeps it)', () => {
    const tuned = probe('tuned');
    const plain = probe('default');
    expect(tuned.majors).toBe(4);
    expect(plain.majors).toBe(4);
    // ~100 KB of bytecode compiled again with the flags; nothing to compile without them.
    expect(tuned.recompiledBytes).toBeGreaterThan(50_000);
    expect(plain.recompiledBytes).toBeLessThan(20_000);
  }, 90_000);
});
