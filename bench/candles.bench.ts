/**
 * Candle store benchmark: import of a generated 1,000,000-row CSV (parse + upsert, rows/s) and load
 * of the 1,000,000 stored candles into columnar Float64Arrays, on PGlite (file-backed, like the
 * bot's DATA_DIR) and on PostgreSQL when one answers (TEST_DATABASE_URL, else the local server).
 *
 * Targets, per database: load ≤ 1 s (best of 5) and ≤ 56 bytes per candle retained in memory
 * (heap + ArrayBuffers after a full GC, with the loaded columns alive; 6 × 8 bytes is the floor).
 *
 *   node --expose-gc --import tsx bench/candles.bench.ts
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openDatabase, type Database } from '../src/adapters/db/client.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { CandleStore } from '../src/adapters/db/repositories/candles.ts';
import { readCandleFileDetailed } from '../src/adapters/files/candle-file-reader.ts';
import type { Candles } from '../src/domain/candles.ts';
import { syntheticCandles } from './support/synthetic-candles.ts';
import { createTempDatabase, DEFAULT_PG_SERVER, pgAnswers } from '../tests/support/pg-temp.ts';

const ROWS = 1_000_000;
const SEED = 20240101;
const LOAD_RUNS = 5;
const TARGET_LOAD_MS = 1_000;
const TARGET_BYTES_PER_CANDLE = 56;
const KEY = ['binance', 'BTC/USDT', '1m'] as const;

function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = gcFunction();

function retainedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function writeCsv(path: string, c: Candles): void {
  const lines: string[] = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < c.length; i++) lines.push(`${c.ts[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface Outcome {
  name: string;
  pass: boolean;
}

async function benchDatabase(name: string, database: Database, csvPath: string, expected: Candles): Promise<Outcome[]> {
  await migrate(database);
  const store = new CandleStore(database);

  const t0 = performance.now();
  const parsed = await readCandleFileDetailed(csvPath);
  const t1 = performance.now();
  const written = await store.upsert(...KEY, parsed.candles);
  const t2 = performance.now();
  if (written.inserted !== ROWS) throw new Error(`${name}: inserted ${written.inserted}, expected ${ROWS}`);
  const importS = (t2 - t0) / 1000;
  console.log(`${name}: import ${ROWS.toLocaleString('en-US')} rows in ${importS.toFixed(1)} s = ${Math.round(ROWS / importS).toLocaleString('en-US')} rows/s (parse ${((t1 - t0) / 1000).toFixed(2)} s, database ${((t2 - t1) / 1000).toFixed(1)} s)`);

  const times: number[] = [];
  for (let r = 0; r < LOAD_RUNS; r++) {
    const s = performance.now();
    const c = await store.load(...KEY);
    times.push(performance.now() - s);
    if (c.length !== ROWS || c.ts[ROWS - 1] !== expected.ts[ROWS - 1] || c.close[123_456] !== expected.close[123_456]) throw new Error(`${name}: load returned wrong data`);
  }
  const best = Math.min(...times);
  console.log(`${name}: load ${ROWS.toLocaleString('en-US')} candles: best ${best.toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);

  const before = retainedBytes();
  let held: Candles | undefined = await store.load(...KEY);
  const after = retainedBytes();
  const perCandle = (after - before) / held.length;
  held = undefined;
  console.log(`${name}: memory retained by the loaded columns: ${((after - before) / 1e6).toFixed(1)} MB = ${perCandle.toFixed(1)} bytes per candle`);

  const loadOk = best <= TARGET_LOAD_MS;
  const memOk = perCandle <= TARGET_BYTES_PER_CANDLE;
  console.log(`${loadOk ? 'PASS' : 'FAIL'} target ${name} load of 1,000,000 candles ≤ ${TARGET_LOAD_MS} ms (best ${best.toFixed(0)} ms)`);
  console.log(`${memOk ? 'PASS' : 'FAIL'} target ${name} ≤ ${TARGET_BYTES_PER_CANDLE} bytes per loaded candle (${perCandle.toFixed(1)})`);
  return [
    { name: `${name} load time`, pass: loadOk },
    { name: `${name} memory`, pass: memOk },
  ];
}

/** A throwaway database on the server, or undefined when no server answers. */
async function tempPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const server = process.env.TEST_DATABASE_URL ?? DEFAULT_PG_SERVER;
  return (await pgAnswers(server)) ? createTempDatabase(server) : undefined;
}

const work = mkdtempSync(join(tmpdir(), 'tradeops-bench-candles-'));
const outcomes: Outcome[] = [];
try {
  const expected = syntheticCandles(ROWS, SEED);
  const csv = join(work, 'candles-1m.csv');
  writeCsv(csv, expected);
  console.log(`generated ${csv}: ${ROWS.toLocaleString('en-US')} rows, ${(statSync(csv).size / 1e6).toFixed(0)} MB`);

  const pglite = await openDatabase({ dataDir: join(work, 'pglite') });
  try {
    outcomes.push(...(await benchDatabase('pglite', pglite, csv, expected)));
  } finally {
    await pglite.close();
  }

  const temp = await tempPostgres();
  if (!temp) console.log('postgres: no server answers (set TEST_DATABASE_URL): skipped');
  else {
    const pg = await openDatabase({ url: temp.url, maxConnections: 2 });
    try {
      outcomes.push(...(await benchDatabase('postgres', pg, csv, expected)));
    } finally {
      await pg.close();
      await temp.drop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = outcomes.every((o) => o.pass) ? 0 : 1;
