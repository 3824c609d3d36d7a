/**
 * Argument validation (RangeError with a message naming the indicator), short inputs (all NaN),
 * and the NaN policy: a NaN restarts the indicator, so the output around a NaN at j is exactly
 * f(x[..j)) ‖ NaN ‖ f(x(j..]) — for window indicators that is "NaN until the window is clean".
 * sessionVwap is the documented exception: it skips a NaN bar and the session goes on.
 */
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import * as ind from '../../../src/indicators/index.ts';
import { f64, firstBitDifference } from './support/reference.ts';

type Ohlcv = { high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array };
type Kernel = { name: string; warmup: number; run: (d: Ohlcv, n: number) => Float64Array[] };

/** Every kernel with its first-value index for period n (its TA-Lib lookback). */
const kernels: ((n: number) => Kernel)[] = [
  (n) => ({ name: 'sma', warmup: n - 1, run: (d) => [ind.sma(d.close, n)] }),
  (n) => ({ name: 'ema', warmup: n - 1, run: (d) => [ind.ema(d.close, n)] }),
  (n) => ({ name: 'rsi', warmup: n, run: (d) => [ind.rsi(d.close, n)] }),
  (n) => ({ name: 'stdev', warmup: n - 1, run: (d) => [ind.stdev(d.close, n)] }),
  (n) => ({ name: 'zscore', warmup: n - 1, run: (d) => [ind.zscore(d.close, n)] }),
  (n) => ({ name: 'bbWidth', warmup: n - 1, run: (d) => [ind.bbWidth(d.close, n, 2)] }),
  (n) => ({ name: 'highest', warmup: n - 1, run: (d) => [ind.highest(d.close, n)] }),
  (n) => ({ name: 'lowest', warmup: n - 1, run: (d) => [ind.lowest(d.close, n)] }),
  (n) => ({ name: 'roc', warmup: n, run: (d) => [ind.roc(d.close, n)] }),
  (n) => ({ name: 'momentum', warmup: n, run: (d) => [ind.momentum(d.close, n)] }),
  (n) => ({ name: 'atr', warmup: n, run: (d) => [ind.atr(d.high, d.low, d.close, n)] }),
  (n) => ({ name: 'vwap', warmup: n - 1, run: (d) => [ind.vwap(d.high, d.low, d.close, d.volume, n)] }),
  (n) => ({
    name: 'bollinger',
    warmup: n - 1,
    run: (d) => Object.values(ind.bollinger(d.close, n, 2)),
  }),
  (n) => ({
    name: 'bollingerBands',
    warmup: n - 1,
    run: (d) => Object.values(ind.bollingerBands(d.close, n, 2)),
  }),
  (n) => ({
    name: 'macd',
    warmup: 2 * n - 1, // slow = 2n, MACD line from slow − 1
    run: (d) => {
      const m = ind.macd(d.close, n, 2 * n, 3);
      return [m.macd, m.signal, m.histogram];
    },
  }),
  () => ({ name: 'trueRange', warmup: 1, run: (d) => [ind.trueRange(d.high, d.low, d.close)] }),
];

function slice(d: Ohlcv, from: number, to: number): Ohlcv {
  return { high: d.high.slice(from, to), low: d.low.slice(from, to), close: d.close.slice(from, to), volume: d.volume.slice(from, to) };
}

function sample(len: number, seed: number): Ohlcv {
  const c = syntheticCandles(len, seed);
  return { high: c.high, low: c.low, close: c.close, volume: c.volume };
}

describe.each([3, 14])('NaN restarts every kernel (n = %i)', (n) => {
  const data = sample(400, 11);
  const columns = ['close', 'high', 'volume'] as const;
  it.each(kernels.map((k) => [k(n).name, k(n)] as const))('%s', (_name, k) => {
    for (const column of columns) {
      // volume only feeds vwap, high only the h/l/c kernels: skip columns the kernel never reads
      if (column === 'volume' && k.name !== 'vwap') continue;
      if (column === 'high' && !['atr', 'vwap', 'trueRange'].includes(k.name)) continue;
      for (const j of [0, 1, 5, 150, 399]) {
        const dirty = slice(data, 0, 400);
        dirty[column][j] = Number.NaN;
        const got = k.run(dirty, n);
        const before = k.run(slice(data, 0, j), n);
        const after = k.run(slice(data, j + 1, 400), n);
        for (let o = 0; o < got.length; o++) {
          const expected = f64([...before[o]!, Number.NaN, ...after[o]!]);
          expect(firstBitDifference(got[o]!, expected), `${column}[${j}] = NaN, output ${o}`).toBeNull();
        }
      }
    }
  });
});

describe.each([1, 3, 14])('warm-up and short input (n = %i)', (n) => {
  it.each(kernels.map((k) => [k(n).name, k(n)] as const))('%s', (_name, k) => {
    const d = sample(60, 3);
    for (const out of k.run(d, n)) {
      expect(out).toBeInstanceOf(Float64Array);
      expect(out.length).toBe(60);
      expect(Number.isNaN(out[k.warmup]!)).toBe(false);
      if (k.warmup > 0) expect(Number.isNaN(out[k.warmup - 1]!)).toBe(true);
      if (k.name === 'macd') break; // signal and histogram start later (covered in hand-computed)
    }
    const short = slice(d, 0, k.warmup); // one bar short of the first value
    for (const out of k.run(short, n)) {
      expect(out.length).toBe(k.warmup);
      expect(out.every((v) => Number.isNaN(v))).toBe(true);
    }
    for (const out of k.run(slice(d, 0, 0), n)) expect(out.length).toBe(0);
  });
});

describe('argument validation', () => {
  const x = f64([1, 2, 3]);
  const bad = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53];
  const byPeriod: [string, (n: number) => unknown][] = [
    ['sma', (n) => ind.sma(x, n)],
    ['ema', (n) => ind.ema(x, n)],
    ['rsi', (n) => ind.rsi(x, n)],
    ['stdev', (n) => ind.stdev(x, n)],
    ['zscore', (n) => ind.zscore(x, n)],
    ['bbWidth', (n) => ind.bbWidth(x, n, 2)],
    ['bollinger', (n) => ind.bollinger(x, n, 2)],
    ['bollinger', (n) => ind.bollingerBands(x, n, 2)],
    ['highest', (n) => ind.highest(x, n)],
    ['lowest', (n) => ind.lowest(x, n)],
    ['roc', (n) => ind.roc(x, n)],
    ['momentum', (n) => ind.momentum(x, n)],
    ['atr', (n) => ind.atr(x, x, x, n)],
    ['vwap', (n) => ind.vwap(x, x, x, x, n)],
    ['macd', (n) => ind.macd(x, n, 26, 9)],
    ['macd', (n) => ind.macd(x, 12, 26, n)],
    ['sma', (n) => ind.createSmaStream(n)],
    ['ema', (n) => ind.createEmaStream(n)],
    ['rsi', (n) => ind.createRsiStream(n)],
    ['stdev', (n) => ind.createStdevStream(n)],
    ['zscore', (n) => ind.createZscoreStream(n)],
    ['bbWidth', (n) => ind.createBbWidthStream(n, 2)],
    ['bollinger', (n) => ind.createBollingerStream(n, 2)],
    ['highest', (n) => ind.createHighestStream(n)],
    ['lowest', (n) => ind.createLowestStream(n)],
    ['roc', (n) => ind.createRocStream(n)],
    ['momentum', (n) => ind.createMomentumStream(n)],
    ['atr', (n) => ind.createAtrStream(n)],
    ['vwap', (n) => ind.createVwapStream(n)],
    ['macd', (n) => ind.createMacdStream(12, 26, n)],
  ];
  it.each(byPeriod)('%s rejects a period that is not a positive integer', (name, call) => {
    for (const n of bad) {
      expect(() => call(n)).toThrow(RangeError);
      expect(() => call(n)).toThrow(new RegExp(`^${name}: \\w+ must be a positive integer, got `));
    }
  });
  it('macd rejects fast > slow (TA-Lib would silently swap them)', () => {
    expect(() => ind.macd(x, 26, 12, 9)).toThrow(/macd: fast \(26\) must not exceed slow \(12\)/);
    expect(() => ind.createMacdStream(26, 12, 9)).toThrow(RangeError);
  });
  it('band multipliers must be finite', () => {
    expect(() => ind.bollinger(x, 2, Number.NaN)).toThrow(/bollinger: k must be a finite number/);
    expect(() => ind.bollingerBands(x, 2, Number.POSITIVE_INFINITY)).toThrow(/bollinger: k must be a finite number/);
    expect(() => ind.bbWidth(x, 2, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => ind.createBollingerStream(2, Number.NaN)).toThrow(RangeError);
  });
  it('multi-series kernels reject series of different lengths', () => {
    const y = f64([1, 2]);
    expect(() => ind.atr(x, x, y, 2)).toThrow(/atr: close has 2 values but high has 3/);
    expect(() => ind.trueRange(x, y, x)).toThrow(RangeError);
    expect(() => ind.vwap(x, x, x, y, 2)).toThrow(RangeError);
    expect(() => ind.sessionVwap(x, x, x, x, y)).toThrow(RangeError);
  });
  it('sessionVwap rejects a non-positive or non-finite session length', () => {
    expect(() => ind.sessionVwap(x, x, x, x, x, 0)).toThrow(/sessionVwap: sessionMs must be positive/);
    expect(() => ind.createSessionVwapStream(Number.NaN)).toThrow(RangeError);
    expect(() => ind.sessionVwap(x, x, x, x, x, 60_000, Number.NaN)).toThrow(/offsetMs/);
  });
});

describe('sessionVwap skips a NaN bar instead of restarting the session', () => {
  it('the session average after the NaN bar equals the one computed without that bar', () => {
    const c = syntheticCandles(200, 5);
    const close = c.close.slice();
    close[50] = Number.NaN;
    const got = ind.sessionVwap(c.ts, c.high, c.low, close, c.volume);
    const keep = (a: Float64Array) => f64([...a.subarray(0, 50), ...a.subarray(51)]);
    const without = ind.sessionVwap(keep(c.ts), keep(c.high), keep(c.low), keep(c.close), keep(c.volume));
    expect(Number.isNaN(got[50]!)).toBe(true);
    expect(firstBitDifference(f64([...got.subarray(0, 50), ...got.subarray(51)]), without)).toBeNull();
  });
});
