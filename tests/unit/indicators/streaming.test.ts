/**
 * Every streaming form, fed bar by bar, returns exactly (bit for bit) what its batch kernel returns
 * for the whole series — through warm-ups, NaN restarts, flat runs, zero-volume runs, and after
 * reset(). Data: synthetic candles with injected defects, and the real BTC closes of the fixture.
 */
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import { allocCandles, type Candles } from '../../../src/domain/candles.ts';
import * as ind from '../../../src/indicators/index.ts';
import { firstBitDifference, loadTalibCsv } from './support/reference.ts';

interface Case {
  name: string;
  batch: (c: Candles) => Float64Array[];
  /** A fresh stream, as a function of one bar returning its outputs in `batch` order. */
  stream: () => { step: (c: Candles, i: number) => number[]; last: () => number[]; reset: () => void };
}

function series(name: string, batch: (x: Float64Array) => Float64Array, make: () => ind.SeriesStream): Case {
  return {
    name,
    batch: (c) => [batch(c.close)],
    stream: () => {
      const s = make();
      return { step: (c, i) => [s.next(c.close[i]!)], last: () => [s.value], reset: () => s.reset() };
    },
  };
}

function hlc(name: string, batch: (c: Candles) => Float64Array, make: () => ind.IndicatorStream<[number, number, number], number>): Case {
  return {
    name,
    batch: (c) => [batch(c)],
    stream: () => {
      const s = make();
      return { step: (c, i) => [s.next(c.high[i]!, c.low[i]!, c.close[i]!)], last: () => [s.value], reset: () => s.reset() };
    },
  };
}

const cases: Case[] = [];
for (const n of [1, 2, 14, 50]) {
  cases.push(
    series(`sma(${n})`, (x) => ind.sma(x, n), () => ind.createSmaStream(n)),
    series(`ema(${n})`, (x) => ind.ema(x, n), () => ind.createEmaStream(n)),
    series(`rsi(${n})`, (x) => ind.rsi(x, n), () => ind.createRsiStream(n)),
    series(`stdev(${n})`, (x) => ind.stdev(x, n), () => ind.createStdevStream(n)),
    series(`zscore(${n})`, (x) => ind.zscore(x, n), () => ind.createZscoreStream(n)),
    series(`bbWidth(${n}, 2)`, (x) => ind.bbWidth(x, n, 2), () => ind.createBbWidthStream(n, 2)),
    series(`highest(${n})`, (x) => ind.highest(x, n), () => ind.createHighestStream(n)),
    series(`lowest(${n})`, (x) => ind.lowest(x, n), () => ind.createLowestStream(n)),
    series(`roc(${n})`, (x) => ind.roc(x, n), () => ind.createRocStream(n)),
    series(`momentum(${n})`, (x) => ind.momentum(x, n), () => ind.createMomentumStream(n)),
    hlc(`atr(${n})`, (c) => ind.atr(c.high, c.low, c.close, n), () => ind.createAtrStream(n)),
    {
      name: `bollinger(${n}, 2.5)`,
      batch: (c) => {
        const b = ind.bollinger(c.close, n, 2.5);
        return [b.upper, b.middle, b.lower];
      },
      stream: () => {
        const s = ind.createBollingerStream(n, 2.5);
        const unpack = (b: ind.Bands<number>) => [b.upper, b.middle, b.lower];
        return { step: (c, i) => unpack(s.next(c.close[i]!)), last: () => unpack(s.value), reset: () => s.reset() };
      },
    },
    {
      name: `bollingerBands(${n}, 2.5)`,
      batch: (c) => {
        const b = ind.bollingerBands(c.close, n, 2.5);
        return [b.upper, b.lower];
      },
      stream: () => {
        const s = ind.createBollingerStream(n, 2.5);
        const unpack = (b: ind.Bands<number>) => [b.upper, b.lower];
        return { step: (c, i) => unpack(s.next(c.close[i]!)), last: () => unpack(s.value), reset: () => s.reset() };
      },
    },
    {
      name: `vwap(${n})`,
      batch: (c) => [ind.vwap(c.high, c.low, c.close, c.volume, n)],
      stream: () => {
        const s = ind.createVwapStream(n);
        return { step: (c, i) => [s.next(c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!)], last: () => [s.value], reset: () => s.reset() };
      },
    },
  );
}
for (const [fast, slow, signal] of [
  [12, 26, 9],
  [5, 8, 3],
  [3, 3, 1],
  [1, 2, 1],
] as const) {
  cases.push({
    name: `macd(${fast}, ${slow}, ${signal})`,
    batch: (c) => {
      const m = ind.macd(c.close, fast, slow, signal);
      return [m.macd, m.signal, m.histogram];
    },
    stream: () => {
      const s = ind.createMacdStream(fast, slow, signal);
      const unpack = (m: ind.Macd<number>) => [m.macd, m.signal, m.histogram];
      return { step: (c, i) => unpack(s.next(c.close[i]!)), last: () => unpack(s.value), reset: () => s.reset() };
    },
  });
}
cases.push(hlc('trueRange', (c) => ind.trueRange(c.high, c.low, c.close), () => ind.createTrueRangeStream()));
for (const sessionMs of [ind.DAY_MS, 3_600_000]) {
  cases.push({
    name: `sessionVwap(${sessionMs})`,
    batch: (c) => [ind.sessionVwap(c.ts, c.high, c.low, c.close, c.volume, sessionMs)],
    stream: () => {
      const s = ind.createSessionVwapStream(sessionMs);
      return {
        step: (c, i) => [s.next(c.ts[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!)],
        last: () => [s.value],
        reset: () => s.reset(),
      };
    },
  });
}

/** Synthetic candles with every condition the state machines branch on. */
function defectiveCandles(): Candles {
  const c = syntheticCandles(6000, 7);
  c.close[1000] = Number.NaN; // a lone NaN close
  c.high[2500] = Number.NaN; // a NaN in another column
  c.volume[2700] = Number.NaN;
  c.close[5000] = Number.NaN; // two NaNs in a row
  c.close[5001] = Number.NaN;
  for (let i = 3000; i < 3080; i++) c.volume[i] = 0; // no trades for 80 minutes
  for (let i = 4000; i < 4090; i++) {
    c.open[i] = c.high[i] = c.low[i] = c.close[i] = 41_234.5; // a flat market
  }
  c.close[5500] = 0; // roc divides by x[i−n]
  return c;
}

/** The BTC closes of the TA-Lib fixture as candles (high = low = close, volume 1). */
function btcCloseCandles(): Candles {
  const close = loadTalibCsv('talib_btcperp_1m_first2000.csv').col['close']!;
  const c = allocCandles(close.length);
  for (let i = 0; i < close.length; i++) {
    c.ts[i] = Date.UTC(2022, 0, 1) + i * 60_000;
    c.open[i] = c.high[i] = c.low[i] = c.close[i] = close[i]!;
    c.volume[i] = 1;
  }
  return c;
}

/**
 * One-bar returns and full-mantissa noise: unlike prices (whose shifted differences are exact),
 * every addition here rounds, so any difference in operation order between batch and stream shows.
 */
function returnsCandles(): Candles {
  const src = syntheticCandles(3000, 21);
  const c = allocCandles(src.length);
  for (let i = 0; i < src.length; i++) {
    // ×π: a bare `ratio − 1` is a multiple of 2^−52 and small sums of those are still exact
    const r = i === 0 ? 0 : (src.close[i]! / src.close[i - 1]! - 1) * Math.PI;
    const wick = Math.abs(src.high[i]! / src.close[i]! - 1);
    c.ts[i] = src.ts[i]!;
    c.open[i] = r;
    c.close[i] = r;
    c.high[i] = r + wick;
    c.low[i] = r - wick;
    c.volume[i] = src.volume[i]! * Math.PI;
  }
  c.close[700] = Number.NaN;
  return c;
}

/**
 * Longer than the batch kernels' chunks (src/indicators/rolling-moments.ts works in chunks of 4,096
 * values and carries its state from one to the next): a boundary inside a clean run (16,384), a NaN
 * as the first value of a chunk (32,768) and as the last of one (49,151), and a flat run across a
 * boundary (65,536).
 */
function chunkBoundaryCandles(): Candles {
  const c = syntheticCandles(70_000, 11);
  // ×π: full mantissas, so that recomputing a window at another candle would change the last bits
  for (let i = 0; i < c.length; i++) c.close[i] = c.close[i]! * Math.PI;
  for (const i of [32_768, 49_151]) c.close[i] = Number.NaN;
  for (let i = 65_500; i < 65_600; i++) c.close[i] = 40_000.25;
  return c;
}

const datasets: [string, Candles][] = [
  ['a series longer than the kernels\' chunks, with NaNs and a flat run at their boundaries', chunkBoundaryCandles()],
  ['synthetic candles with NaNs, flat and zero-volume runs', defectiveCandles()],
  ['BTC 1m closes', btcCloseCandles()],
  ['zero-mean returns with full mantissas', returnsCandles()],
];

describe.each(datasets)('streaming == batch on %s', (_label, candles) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, tc) => {
    const expected = tc.batch(candles);
    const got = expected.map(() => new Float64Array(candles.length));
    const s = tc.stream();
    let staleValueAt = -1;
    for (let i = 0; i < candles.length; i++) {
      const out = s.step(candles, i);
      const last = s.last();
      for (let k = 0; k < out.length; k++) {
        got[k]![i] = out[k]!;
        if (!Object.is(last[k], out[k]) && staleValueAt < 0) staleValueAt = i;
      }
    }
    expect(staleValueAt, '`value` differs from what next() returned at this bar').toBe(-1);
    for (let k = 0; k < expected.length; k++) expect(firstBitDifference(got[k]!, expected[k]!), `output ${k}`).toBeNull();
    // The series must actually produce values (a stream stuck at NaN would match an all-NaN batch).
    expect(expected[0]!.some((v) => !Number.isNaN(v))).toBe(true);

    // reset() forgets everything: replaying the series gives the batch output again.
    s.reset();
    for (let k = 0; k < expected.length; k++) expect(Number.isNaN(s.last()[k]!)).toBe(true);
    for (let i = 0; i < candles.length; i++) {
      const out = s.step(candles, i);
      for (let k = 0; k < out.length; k++) got[k]![i] = out[k]!;
    }
    for (let k = 0; k < expected.length; k++) expect(firstBitDifference(got[k]!, expected[k]!), `after reset, output ${k}`).toBeNull();
  });
});
