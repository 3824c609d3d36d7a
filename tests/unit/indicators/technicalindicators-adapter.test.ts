/**
 * The technicalindicators adapter: its outputs are bar-aligned (padded with NaN at the front, from
 * the end), it reproduces the package's own test expectations
 * (tests/fixtures/indicators/technicalindicators_expected.json), and the documented defects are
 * pinned here — if an upgrade fixes one, a test fails and docs/indicators.md needs an update.
 */
import { getConfig, setConfig } from 'technicalindicators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import { allocCandles } from '../../../src/domain/candles.ts';
import { bollinger, ema, highest, lowest, macd, rsi, sma } from '../../../src/indicators/index.ts';
import * as ta from '../../../src/indicators/technicalindicators-adapter.ts';
import { f64, loadJsonFixture, seriesMismatch } from './support/reference.ts';

interface Expected {
  RSI: {
    inputRSI: { values: number[]; period: number };
    expectedResult: number[];
    noGainsInput: { values: number[]; period: number };
    noGainsExpectedResult: number[];
  };
  EMA: { prices: number[]; period: number; expectedOutput: number[] };
  SMA: { prices: number[]; period: number; expectResult: number[] };
  BollingerBands: { prices: number[]; period: number; stdDev: number; expectResult: { lower: number; middle: number; upper: number }[] };
  MACD: {
    macdInput: { values: number[]; fastPeriod: number; slowPeriod: number; signalPeriod: number };
    expectedOutput: { MACD: number; signal?: number; histogram?: number }[];
  };
}

const exp = loadJsonFixture<Expected>('technicalindicators_expected.json');
const N = Number.NaN;

/** The package's short output, padded with NaN in front to the input length. */
const padded = (values: readonly (number | undefined)[], length: number) =>
  f64([...Array<number>(length - values.length).fill(N), ...values.map((v) => v ?? N)]);

describe('padFront', () => {
  it('aligns from the end and turns undefined into NaN', () => {
    expect(Array.from(ta.padFront([1, undefined, 3], 5))).toEqual([N, N, 1, N, 3]);
  });
  it('refuses more values than bars', () => {
    expect(() => ta.padFront([1, 2, 3], 2)).toThrow(RangeError);
  });
});

describe('against technicalindicators own expectations', () => {
  it('RSI(14): the package values, rounded to 2 decimals (defect), aligned to index 14', () => {
    const x = f64(exp.RSI.inputRSI.values);
    const got = ta.tiRsi(x, 14);
    expect(Array.from(got)).toEqual(Array.from(padded(exp.RSI.expectedResult, x.length)));
    // our TA-Lib RSI, rounded the same way, is the same series
    expect(seriesMismatch(rsi(x, 14), got, 0, 0.005 + 1e-12)).toBeNull();
    expect(rsi(x, 14)[14]).not.toBe(got[14]); // …but ours is not rounded
  });
  it('RSI(14) "noGains" case', () => {
    const x = f64(exp.RSI.noGainsInput.values);
    const got = ta.tiRsi(x, 14);
    expect(Array.from(got)).toEqual(Array.from(padded(exp.RSI.noGainsExpectedResult, x.length)));
    expect(seriesMismatch(rsi(x, 14), got, 0, 0.005 + 1e-12)).toBeNull();
  });
  it('EMA(9) = the package expectation = our ema', () => {
    const x = f64(exp.EMA.prices);
    const want = padded(exp.EMA.expectedOutput, x.length);
    expect(seriesMismatch(ta.tiEma(x, 9), want, 1e-12)).toBeNull();
    expect(seriesMismatch(ema(x, 9), want, 1e-9)).toBeNull();
  });
  it('SMA(10) = the package expectation = our sma', () => {
    const x = f64(exp.SMA.prices);
    const want = padded(exp.SMA.expectResult, x.length);
    expect(seriesMismatch(ta.tiSma(x, 10), want, 1e-12)).toBeNull();
    expect(seriesMismatch(sma(x, 10), want, 1e-9)).toBeNull();
  });
  it('BollingerBands(10, 2) = the package expectation = our bollinger', () => {
    const x = f64(exp.BollingerBands.prices);
    const rows = exp.BollingerBands.expectResult;
    const got = ta.tiBollinger(x, 10, 2);
    const ours = bollinger(x, 10, 2);
    for (const band of ['upper', 'middle', 'lower'] as const) {
      const want = padded(
        rows.map((r) => r[band]),
        x.length,
      );
      expect(seriesMismatch(got[band], want, 1e-12), band).toBeNull();
      expect(seriesMismatch(ours[band], want, 1e-9), band).toBeNull();
    }
  });
  it('MACD(5, 8, 3) = the package expectation, which is EMA(5) − EMA(8), not TA-Lib MACD', () => {
    const x = f64(exp.MACD.macdInput.values);
    const rows = exp.MACD.expectedOutput;
    const got = ta.tiMacd(x, 5, 8, 3);
    expect(seriesMismatch(got.macd, padded(rows.map((r) => r.MACD), x.length), 1e-12)).toBeNull();
    expect(seriesMismatch(got.signal, padded(rows.map((r) => r.signal), x.length), 1e-12)).toBeNull();
    expect(seriesMismatch(got.histogram, padded(rows.map((r) => r.histogram), x.length), 1e-12)).toBeNull();
    // the package's line is the difference of two plain EMAs (fast seeded at index fast − 1)…
    const e5 = ema(x, 5);
    const e8 = ema(x, 8);
    const plain = x.map((_, i) => (i >= 7 ? e5[i]! - e8[i]! : N));
    expect(seriesMismatch(got.macd, plain, 1e-9)).toBeNull();
    // …while TA-Lib (and our macd) seed the fast EMA at slow − 1: same warm-up, different values
    const ours = macd(x, 5, 8, 3);
    expect(Number.isNaN(ours.macd[6]!) && !Number.isNaN(ours.macd[7]!)).toBe(true);
    expect(Math.abs(ours.macd[7]! - got.macd[7]!)).toBeGreaterThan(0.1);
  });
});

describe('pinned defects', () => {
  it('BollingerBands: a zero-mean window is dropped (leading) or repeats the previous bands', () => {
    // windows of 3: [1,−1,0] mean 0 · [−1,0,5] · [0,5,−5] mean 0 · [5,−5,0] mean 0 · [−5,0,1] · …
    const x = f64([1, -1, 0, 5, -5, 0, 1, 2, 3]);
    const got = ta.tiBollinger(x, 3, 2);
    const ours = bollinger(x, 3, 2);
    expect(Number.isNaN(got.middle[2]!)).toBe(true); // dropped, became padding
    expect(ours.middle[2]).toBe(0);
    expect(got.middle[4]).toBe(got.middle[3]); // stale repeat of [−1,0,5]
    expect(got.upper[5]).toBe(got.upper[3]);
    expect(ours.middle[4]).toBe(0);
    expect(seriesMismatch(got.middle.subarray(6), ours.middle.subarray(6), 1e-12)).toBeNull();
  });
  it('RSI is 100 when the average loss is 0, even for a flat window (TA-Lib: 0)', () => {
    const flat = f64([5, 5, 5, 5, 5]);
    expect(ta.tiRsi(flat, 2)[4]).toBe(100);
    expect(rsi(flat, 2)[4]).toBe(0);
  });
});

describe('long tail: bar alignment', () => {
  const c = syntheticCandles(300, 99);
  const firstValid = (x: Float64Array) => x.findIndex((v) => !Number.isNaN(v));
  const nanOnlyInFront = (x: Float64Array) => {
    const f = firstValid(x);
    return f >= 0 && x.subarray(f).every((v) => !Number.isNaN(v));
  };

  it('stochastic %K = 100·(close − lowest low) / (highest high − lowest low), bar for bar', () => {
    const { k, d } = ta.tiStochastic(c.high, c.low, c.close, 14, 3);
    const hh = highest(c.high, 14);
    const ll = lowest(c.low, 14);
    const want = c.close.map((v, i) => (100 * (v - ll[i]!)) / (hh[i]! - ll[i]!));
    expect(seriesMismatch(k, want, 1e-9)).toBeNull();
    expect(seriesMismatch(d, sma(want, 3), 1e-9)).toBeNull();
  });
  it('williams %R = −100·(highest high − close) / (highest high − lowest low)', () => {
    const hh = highest(c.high, 14);
    const ll = lowest(c.low, 14);
    const want = c.close.map((v, i) => (-100 * (hh[i]! - v)) / (hh[i]! - ll[i]!));
    expect(seriesMismatch(ta.tiWilliamsR(c.high, c.low, c.close, 14), want, 1e-9)).toBeNull();
  });
  it('OBV starts at bar 1 with ±volume', () => {
    expect(Array.from(ta.tiObv(f64([1, 2, 3, 2, 1]), f64([10, 20, 30, 40, 50])))).toEqual([N, 20, 50, 10, -40]);
  });
  it('WMA(3) of 1..5 = (1·a + 2·b + 3·c)/6', () => {
    expect(seriesMismatch(ta.tiWma(f64([1, 2, 3, 4, 6]), 3), f64([N, N, 14 / 6, 20 / 6, 29 / 6]), 1e-12)).toBeNull();
  });
  it('ADX starts at index 2n − 1 (TA-Lib lookback); +DI/−DI are aligned with it', () => {
    const out = ta.tiAdx(c.high, c.low, c.close, 14);
    expect(firstValid(out.adx)).toBe(27);
    for (const s of [out.adx, out.pdi, out.mdi]) expect(nanOnlyInFront(s)).toBe(true);
  });
  it('the other wrappers return full-length series with NaN only in front', () => {
    const all = [
      ta.tiAdl(c.high, c.low, c.close, c.volume),
      ta.tiMfi(c.high, c.low, c.close, c.volume, 14),
      ta.tiCci(c.high, c.low, c.close, 20),
      ta.tiPsar(c.high, c.low, 0.02, 0.2),
      ...Object.values(ta.tiStochasticRsi(c.close, 14, 14, 3, 3)),
    ];
    for (const s of all) {
      expect(s.length).toBe(300);
      expect(nanOnlyInFront(s)).toBe(true);
    }
  });
});

describe('candlestick patterns', () => {
  function candles(rows: [number, number, number, number][]) {
    const c = allocCandles(rows.length);
    rows.forEach(([o, h, l, cl], i) => {
      c.ts[i] = i * 60_000;
      c.open[i] = o;
      c.high[i] = h;
      c.low[i] = l;
      c.close[i] = cl;
      c.volume[i] = 1;
    });
    return c;
  }
  it('doji is found on its own bar, including bar 0 (which getAllPatternIndex would lose)', () => {
    const c = candles([
      [10, 11, 9, 10],
      [10, 12, 9.5, 11.5],
      [11.5, 12, 11, 11.5],
    ]);
    expect(Array.from(ta.tiCandlestickPattern('doji', c))).toEqual([1, 0, 1]);
  });
  it('a bullish engulfing pattern is reported on its second candle; the first bar is warm-up', () => {
    const c = candles([
      [20, 21, 17, 18], // down day
      [18, 19, 17.5, 18.5],
      [18.2, 18.4, 17.8, 18], // small down day …
      [17.9, 19.6, 17.8, 19.5], // … engulfed by an up day
    ]);
    const got = ta.tiCandlestickPattern('bullishengulfingpattern', c);
    expect(Number.isNaN(got[0]!)).toBe(true);
    expect(Array.from(got.subarray(1))).toEqual([0, 0, 1]);
  });
  it('every pattern runs bar by bar with enough candles (the package warns when given too few)', () => {
    const c = syntheticCandles(120, 4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (const [name, need] of Object.entries(ta.CANDLESTICK_PATTERNS)) {
        const out = ta.tiCandlestickPattern(name as ta.CandlestickPattern, c);
        expect(out.length, name).toBe(120);
        expect(out.subarray(0, need - 1).every((v) => Number.isNaN(v)), name).toBe(true);
        expect(out.subarray(need - 1).every((v) => v === 0 || v === 1), name).toBe(true);
      }
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
  it('rejects an unknown pattern name and NaN candles', () => {
    const c = candles([[1, 2, 0.5, 1.5]]);
    expect(() => ta.tiCandlestickPattern('nope' as ta.CandlestickPattern, c)).toThrow(/unknown pattern/);
    c.close[0] = N;
    expect(() => ta.tiCandlestickPattern('doji', c)).toThrow(/close\[0\] is NaN/);
  });
});

describe('input hygiene', () => {
  afterEach(() => setConfig('precision', undefined));
  it('a NaN input throws instead of poisoning every later value', () => {
    expect(() => ta.tiSma(f64([1, N, 3]), 2)).toThrow(/tiSma: x\[1\] is NaN/);
    expect(() => ta.tiAdx(f64([1, 2]), f64([1, N]), f64([1, 2]), 1)).toThrow(RangeError);
  });
  it('bad periods and mismatched lengths throw RangeError', () => {
    expect(() => ta.tiEma(f64([1, 2, 3]), 0)).toThrow(/tiEma: n must be a positive integer/);
    expect(() => ta.tiStochastic(f64([1]), f64([1, 2]), f64([1]), 3, 3)).toThrow(RangeError);
  });
  it('the package-global precision setting does not round adapter output', () => {
    setConfig('precision', 2);
    expect(getConfig('precision')).toBe(2);
    const x = f64([1, 2, 2.123456789]);
    expect(ta.tiSma(x, 3)[2]).toBe((1 + 2 + 2.123456789) / 3);
  });
});
