// Summary of mutation reports: per file (killed, survived, no coverage, timeouts, score) and every
// surviving mutant with its place and replacement. `node scripts/mutation-summary.mjs [part ...]`
// reads reports/mutation/<part>/mutation.json (no part: reports/mutation/mutation.json).
import { existsSync, readFileSync } from 'node:fs';

const parts = process.argv.slice(2);
const files = parts.length > 0 ? parts.map((p) => [p, `reports/mutation/${p}/mutation.json`]) : [['all', 'reports/mutation/mutation.json']];
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
let total = { detected: 0, undetected: 0 };
const survivors = [];
for (const [part, path] of files) {
  if (!existsSync(path)) {
    console.log(`${part}: no report (${path})`);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  console.log(`\n## ${part}\n\n| file | killed | timeout | survived | no coverage | score |\n|---|--:|--:|--:|--:|--:|`);
  const sum = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const [file, { mutants }] of Object.entries(report.files).sort()) {
    const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') c.killed++;
      else if (m.status === 'Timeout') c.timeout++;
      else if (m.status === 'Survived') c.survived++;
      else if (m.status === 'NoCoverage') c.noCoverage++;
      if (UNDETECTED.has(m.status)) survivors.push({ file, line: m.location.start.line, col: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status: m.status });
    }
    for (const k of Object.keys(c)) sum[k] += c[k];
    const valid = c.killed + c.timeout + c.survived + c.noCoverage;
    console.log(`| ${file} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${valid ? ((100 * (c.killed + c.timeout)) / valid).toFixed(1) : '—'} % |`);
  }
  const valid = sum.killed + sum.timeout + sum.survived + sum.noCoverage;
  console.log(`| **${part}** | ${sum.killed} | ${sum.timeout} | ${sum.survived} | ${sum.noCoverage} | **${((100 * (sum.killed + sum.timeout)) / valid).toFixed(1)} %** |`);
  total.detected += sum.killed + sum.timeout;
  total.undetected += sum.survived + sum.noCoverage;
}
const all = total.detected + total.undetected;
if (all > 0) console.log(`\nTotal: ${total.detected} of ${all} mutants detected — score ${((100 * total.detected) / all).toFixed(1)} %`);
if (survivors.length > 0) {
  console.log('\nUndetected mutants:');
  for (const s of survivors) console.log(`${s.file}:${s.line}:${s.col} ${s.status} ${s.mutator} → ${JSON.stringify(s.replacement)}`);
}
