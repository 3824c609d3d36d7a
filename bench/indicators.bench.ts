/**
 * Indicator kernel benchmark: 1,051,200 seeded synthetic one-minute candles (two years).
 * Baseline = one pass summing the five OHLCV columns; target: every kernel (allocation of its
 * output included) within 10× the baseline pass, best of 5 runs after warm-up. The runs are
 * interleaved (round r times every kernel once, baseline included), so a burst of load from other
 * processes hits all of them alike instead of one kernel's five consecutive runs.
 * technicalindicators' RSI and BollingerBands run on the same closes for comparison (no target).
 *
 *   node --import tsx bench/indicators.bench.ts
 */
import { bollingerbands, rsi as tiRsi } from 'technicalindicators';
import type { Candles } from '../src/domain/candles.ts';
import * as ind from '../src/indicators/index.ts';
import { syntheticCandles } from './support/synthetic-candles.ts';

const BARS = 1_051_200;
const SEED = 20240101;
const RUNS = 5;
const WARMUP_RUNS = 2;
const TARGET_RATIO = 10;

let sink = 0; // consumed results, so the JIT cannot drop the work

function last(x: Float64Array): number {
  return x[x.length - 1]!;
}

interface Entry {
  name: string;
  fn: () => number;
  target: boolean;
  ms: number;
}

/** Best wall time of each entry over `runs` interleaved rounds, after `warmup` untimed rounds. */
function measure(entries: Entry[], runs: number, warmup: number): void {
  for (let w = 0; w < warmup; w++) for (const e of entries) sink += e.fn();
  for (let r = 0; r < runs; r++) {
    for (const e of entries) {
      const t0 = performance.now();
      sink += e.fn();
      const dt = performance.now() - t0;
      if (dt < e.ms) e.ms = dt;
    }
  }
}

function baselinePass(c: Candles): number {
  const { open, high, low, close, volume } = c;
  let s = 0;
  for (let i = 0; i < c.length; i++) s += open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!;
  return s;
}

const c = syntheticCandles(BARS, SEED);
const { ts, high, low, close, volume } = c;

const kernels: [string, () => number][] = [
  ['sma(20)', () => last(ind.sma(close, 20))],
  ['sma(200)', () => last(ind.sma(close, 200))],
  ['ema(20)', () => last(ind.ema(close, 20))],
  ['rsi(14)', () => last(ind.rsi(close, 14))],
  ['bollinger(20, 2)', () => last(ind.bollinger(close, 20, 2).upper)],
  ['atr(14)', () => last(ind.atr(high, low, close, 14))],
  ['trueRange', () => last(ind.trueRange(high, low, close))],
  ['macd(12, 26, 9)', () => last(ind.macd(close, 12, 26, 9).histogram)],
  ['stdev(20)', () => last(ind.stdev(close, 20))],
  ['zscore(20)', () => last(ind.zscore(close, 20))],
  ['bbWidth(20, 2)', () => last(ind.bbWidth(close, 20, 2))],
  ['highest(20)', () => last(ind.highest(high, 20))],
  ['lowest(20)', () => last(ind.lowest(low, 20))],
  ['highest(1440)', () => last(ind.highest(high, 1440))],
  ['vwap(20)', () => last(ind.vwap(high, low, close, volume, 20))],
  ['sessionVwap(1 day)', () => last(ind.sessionVwap(ts, high, low, close, volume))],
  ['roc(10)', () => last(ind.roc(close, 10))],
  ['momentum(10)', () => last(ind.momentum(close, 10))],
];

/** Streams are timed for information: a live tick path, one call per bar. */
const streams: [string, () => number][] = [
  [
    'stream rsi(14)',
    () => {
      const s = ind.createRsiStream(14);
      for (let i = 0; i < BARS; i++) s.next(close[i]!);
      return s.value;
    },
  ],
  [
    'stream bollinger(20, 2)',
    () => {
      const s = ind.createBollingerStream(20, 2);
      for (let i = 0; i < BARS; i++) s.next(close[i]!);
      return s.value.upper;
    },
  ],
];

const entry = (name: string, fn: () => number, target: boolean): Entry => ({ name, fn, target, ms: Infinity });
const baseline = entry('baseline: Σ OHLCV, one pass', () => baselinePass(c), false);
const rows: Entry[] = [baseline, ...kernels.map(([n, f]) => entry(n, f, true)), ...streams.map(([n, f]) => entry(n, f, false))];
measure(rows, RUNS, WARMUP_RUNS);

// technicalindicators wants plain arrays; the conversion is not timed. Seconds per run, so only
// best of 3 after one warm-up, and outside the interleaved rounds.
const closeArr = Array.from(close);
const slow = [
  entry('technicalindicators RSI(14)', () => tiRsi({ period: 14, values: closeArr }).length, false),
  entry('technicalindicators BollingerBands(20, 2)', () => bollingerbands({ period: 20, stdDev: 2, values: closeArr }).length, false),
];
measure(slow, 3, 1);
rows.push(...slow);
const baseMs = baseline.ms;

const nameWidth = Math.max(...rows.map((r) => r.name.length));
console.log(`indicators benchmark: ${BARS.toLocaleString('en-US')} synthetic 1m candles (seed ${SEED}), best of ${RUNS} after ${WARMUP_RUNS} warm-up runs`);
console.log(`${'kernel'.padEnd(nameWidth)}  ${'ms'.padStart(9)}  ${'ns/bar'.padStart(7)}  ${'× base'.padStart(7)}`);
for (const r of rows) {
  const nsPerBar = (r.ms * 1e6) / BARS;
  console.log(`${r.name.padEnd(nameWidth)}  ${r.ms.toFixed(2).padStart(9)}  ${nsPerBar.toFixed(2).padStart(7)}  ${(r.ms / baseMs).toFixed(2).padStart(7)}`);
}
console.log('');

let failed = false;
for (const r of rows) {
  if (!r.target) continue;
  const ratio = r.ms / baseMs;
  const ok = ratio <= TARGET_RATIO;
  if (!ok) failed = true;
  console.log(`${ok ? 'PASS' : 'FAIL'} target ${r.name} within ${TARGET_RATIO}× baseline: ${ratio.toFixed(2)}× (${r.ms.toFixed(2)} ms vs ${baseMs.toFixed(2)} ms)`);
}
if (!Number.isFinite(sink)) console.log('(sink is not finite)'); // keeps `sink` observable
process.exit(failed ? 1 : 0);
