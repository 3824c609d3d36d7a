/**
 * Signal webhook benchmark against the running server: the real `tradeops start` process (built
 * CLI, embedded database, simulated exchange) takes signals from an open-loop load generator at
 * 200 requests/s for 10 s — every request a distinct signal, sent on schedule whether or not the
 * previous answer came back (a closed loop would hide queueing).
 *
 * Targets: p99 answer ≤ 50 ms on loopback, 0 errors (every answer 200 accepted), 0 lost signals
 * (afterwards every id is answered `duplicate: true`, so each one was stored).
 *
 * Run: `node --import tsx bench/signal-webhook.bench.ts`. Prints figures and PASS/FAIL per target.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNodeOptions } from './support/start-options.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'bench-signal-secret-0123';
const RATE = 200;
const SECONDS = 10;
const failures: string[] = [];

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
// Started as `npm start` starts it (its Node options).
const child = spawn(process.execPath, [...startNodeOptions(ROOT), join(ROOT, 'bin/tradeops.js'), 'start'], {
  cwd: ROOT,
  env: {
    ...process.env,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tradeops-bench-signal-')),
    HTTP_PORT: '0',
    CONSOLE: 'false',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SIGNAL_SECRET: SECRET,
    SIGNAL_RATE_LIMIT: '100000',
    HTTP_RATE_LIMIT: '1000000',
    SYMBOLS: 'BTC/USDT,ETH/USDT',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolveUrl, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`bot not ready within 60 s:\n${out}`)), 60_000);
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /tradeops ready: .*http=(http:\/\/\S+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolveUrl(m[1]!);
    }
  });
});

const body = (i: number) =>
  JSON.stringify({ passphrase: SECRET, id: `bench-${i}`, time: new Date().toISOString(), symbol: i % 2 ? 'BINANCE:ETHUSDT' : 'BINANCE:BTCUSDT', action: i % 3 === 0 ? 'close' : 'buy', amount: 10 });
const post = (b: string) => fetch(`${url}/webhooks/signal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });

// Warm-up: connections, JIT, the first database writes.
for (let i = 0; i < 50; i++) await (await post(body(-1 - i))).arrayBuffer();

const total = RATE * SECONDS;
const latencies: number[] = [];
let errors = 0;
const t0 = performance.now();
const sent: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = t0 + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const start = performance.now();
  sent.push(
    post(body(i)).then(
      async (res) => {
        const json = (await res.json()) as { accepted?: boolean };
        latencies.push(performance.now() - start);
        if (res.status !== 200 || json.accepted !== true) errors++;
      },
      () => void errors++,
    ),
  );
}
await Promise.all(sent);
const elapsed = (performance.now() - t0) / 1000;

let lost = 0;
for (let i = 0; i < total; i += 1) {
  const res = await post(body(i));
  const json = (await res.json()) as { duplicate?: boolean };
  if (!json.duplicate) lost++;
}
child.kill('SIGTERM');

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
process.stdout.write(
  `signal webhook: ${total} signals at ${RATE}/s in ${elapsed.toFixed(1)} s — p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms; errors ${errors}; lost ${lost}\n`,
);
const check = (ok: boolean, line: string) => {
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'} target ${line}\n`);
  if (!ok) failures.push(line);
};
check(pct(99) <= 50, `signal webhook p99 ≤ 50 ms under ${RATE} req/s (got ${pct(99).toFixed(1)} ms)`);
check(errors === 0, `0 errors (got ${errors})`);
check(lost === 0, `0 lost signals (got ${lost})`);
process.exitCode = failures.length ? 1 : 0;
