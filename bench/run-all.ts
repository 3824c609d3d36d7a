/**
 * `npm run bench`: every bench/*.bench.ts in its own process (memory figures stay honest), one after
 * the other (they measure speed; running them side by side would measure each other). A bench exits
 * 1 when one of its targets is missed; this runner exits 1 when any bench did.
 * `npm run bench -- indicators candles` runs only the named ones.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const results: Array<{ file: string; code: number | null; seconds: number }> = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, file)], { stdio: 'inherit', env: process.env });
  results.push({ file, code: r.status, seconds: (performance.now() - t0) / 1000 });
}
process.stdout.write('\n=== summary ===\n');
for (const r of results) process.stdout.write(`${r.code === 0 ? 'PASS' : 'FAIL'}  ${r.file}  (${r.seconds.toFixed(1)} s)\n`);
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
