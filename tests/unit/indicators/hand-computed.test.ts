/**
 * Small cases worked out by hand (the arithmetic is in the comments), for the indicators the
 * TA-Lib reference files do not cover: atr, trueRange, macd, highest/lowest, zscore, vwap,
 * sessionVwap, stdev, bbWidth, roc, momentum — plus the edge conventions of rsi.
 */
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  atr,
  bbWidth,
  ema,
  highest,
  lowest,
  macd,
  momentum,
  roc,
  rsi,
  sessionVwap,
  stdev,
  trueRange,
  vwap,
  zscore,
} from '../../../src/indicators/index.ts';
import { f64, seriesMismatch } from './support/reference.ts';

const N = Number.NaN;
const expectSeries = (actual: Float64Array, expected: readonly number[]) =>
  expect(seriesMismatch(actual, f64(expected), 1e-12, 1e-15)).toBeNull();

describe('stdev (population)', () => {
  it('the textbook 2,4,4,4,5,5,7,9 has mean 5 and population stdev 2', () => {
    expectSeries(stdev(f64([2, 4, 4, 4, 5, 5, 7, 9]), 8), [N, N, N, N, N, N, N, 2]);
  });
  it('rolls over a 3-window: [1,2,3] → √(2/3), [2,3,5] → √(14/9), [3,5,5] → √(8/9), flat → exactly 0', () => {
    // [2,3,5]: mean 10/3, deviations −4/3, −1/3, 5/3 → (16+1+25)/9/3 = 42/27 = 14/9
    // [3,5,5]: mean 13/3, deviations −4/3, 2/3, 2/3 → (16+4+4)/9/3 = 24/27 = 8/9
    const out = stdev(f64([1, 2, 3, 5, 5, 5, 5]), 3);
    expectSeries(out, [N, N, Math.sqrt(2 / 3), Math.sqrt(14 / 9), Math.sqrt(8 / 9), 0, 0]);
    expect(out[5]).toBe(0);
  });
});

describe('zscore', () => {
  it('(x − mean) / population stdev over the window including x', () => {
    // [1,2,3]: (3 − 2)/√(2/3) = √1.5; [2,3,4] the same; [3,4,1]: mean 8/3, var (1/9+16/9+25/9)/3 = 42/27
    const out = zscore(f64([1, 2, 3, 4, 1]), 3);
    expectSeries(out, [N, N, Math.sqrt(1.5), Math.sqrt(1.5), (1 - 8 / 3) / Math.sqrt(42 / 27)]);
  });
  it('a flat window gives 0, not NaN', () => {
    expectSeries(zscore(f64([7, 7, 7, 7]), 3), [N, N, 0, 0]);
  });
});

describe('bbWidth', () => {
  it('(upper − lower) / middle = 2k·sd / mean', () => {
    // [1,2,3]: mean 2, sd √(2/3): width = 4·√(2/3)/2
    expectSeries(bbWidth(f64([1, 2, 3]), 3, 2), [N, N, 2 * Math.sqrt(2 / 3)]);
  });
  it('is NaN where the middle band is exactly 0', () => {
    // [1,−1]: mean 0 → NaN; [−1,2]: mean 0.5, sd 1.5 → 2·2·1.5/0.5 = 12
    expectSeries(bbWidth(f64([1, -1, 2]), 2, 2), [N, N, 12]);
  });
});

describe('highest / lowest', () => {
  const x = f64([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
  it('rolling max over 3', () => {
    expectSeries(highest(x, 3), [N, N, 4, 4, 5, 9, 9, 9, 6, 6]);
  });
  it('rolling min over 3', () => {
    expectSeries(lowest(x, 3), [N, N, 1, 1, 1, 1, 2, 2, 2, 3]);
  });
  it('a strictly decreasing run fills the deque to capacity without losing the max', () => {
    expectSeries(highest(f64([9, 8, 7, 6, 5]), 3), [N, N, 9, 8, 7]);
    expectSeries(lowest(f64([1, 2, 3, 4, 5]), 3), [N, N, 1, 2, 3]);
  });
  it('n = 1 is the input', () => {
    expectSeries(highest(x, 1), Array.from(x));
  });
});

describe('trueRange and atr', () => {
  // bar:      0    1     2   3    4
  const h = f64([10, 11, 12, 11, 13]);
  const l = f64([9, 10, 10, 9, 11]);
  const c = f64([9.5, 10.5, 11, 10, 12]);
  it('TR = max(h − l, |prevC − h|, |prevC − l|), NaN at bar 0', () => {
    // 1: max(1, 1.5, 0.5) = 1.5; 2: max(2, 1.5, 0.5) = 2; 3: max(2, 0, 2) = 2; 4: max(2, 3, 1) = 3
    expectSeries(trueRange(h, l, c), [N, 1.5, 2, 2, 3]);
  });
  it('ATR(2): seed = mean(TR1, TR2) at index 2, then Wilder', () => {
    // 2: (1.5 + 2)/2 = 1.75; 3: (1.75·1 + 2)/2 = 1.875; 4: (1.875 + 3)/2 = 2.4375
    expectSeries(atr(h, l, c, 2), [N, N, 1.75, 1.875, 2.4375]);
  });
  it('ATR(1) is the true range', () => {
    expectSeries(atr(h, l, c, 1), [N, 1.5, 2, 2, 3]);
  });
});

describe('macd (TA-Lib seeding)', () => {
  // fast 2 (k = 2/3), slow 3 (k = 1/2), signal 2 (k = 2/3) on 4,2,3,4,5,7,6
  // idx 2: slow = (4+2+3)/3 = 3, fast = (2+3)/2 = 2.5 (TA-Lib: the last `fast` closes of the slow
  //        window; a plain EMA(2) would be (4+2)/2 = 3 → 3 here) → macd −0.5
  // idx 3: fast = 1.5·2/3 + 2.5 = 3.5, slow = 1·1/2 + 3 = 3.5 → 0; signal = mean(−0.5, 0) = −0.25
  // idx 4: fast 4.5, slow 4.25 → 0.25; signal = (0.5)·2/3 − 0.25 = 1/12; hist 1/6
  // idx 5: fast = 2.5·2/3 + 4.5 = 37/6, slow = 2.75/2 + 4.25 = 5.625 → 13/24; signal = 7/18; hist 11/72
  // idx 6: fast = 109/18, slow = 93/16 → 35/144; signal = 7/24; hist = −7/144
  const x = f64([4, 2, 3, 4, 5, 7, 6]);
  const out = macd(x, 2, 3, 2);
  it('the MACD line starts at slow − 1', () => {
    expectSeries(out.macd, [N, N, -0.5, 0, 0.25, 13 / 24, 35 / 144]);
  });
  it('signal and histogram start at slow + signal − 2', () => {
    expectSeries(out.signal, [N, N, N, -0.25, 1 / 12, 7 / 18, 7 / 24]);
    expectSeries(out.histogram, [N, N, N, 0.25, 1 / 6, 11 / 72, -7 / 144]);
  });
  it('differs from the naive EMA(fast) − EMA(slow) while the fast seed still matters', () => {
    const naive = ema(x, 2)[2]! - ema(x, 3)[2]!;
    expect(naive).toBeCloseTo(0, 12); // plain EMA(2) at idx 2 is 3, the same as the slow seed
    expect(out.macd[2]).toBe(-0.5);
  });
  it('signal = 1 makes the signal line equal to the MACD line exactly', () => {
    const one = macd(x, 2, 3, 1);
    expect(Array.from(one.signal.subarray(2))).toEqual(Array.from(one.macd.subarray(2)));
    expect(Array.from(one.histogram.subarray(2))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('vwap (rolling)', () => {
  // typical prices (h + l + c)/3: 2, 4, 6, 8
  const h = f64([3, 6, 9, 12]);
  const l = f64([1, 2, 3, 4]);
  const c = f64([2, 4, 6, 8]);
  it('Σ tp·v / Σ v over the last n bars', () => {
    // idx 1: (2·1 + 4·2)/3 = 10/3; idx 2: (4·2 + 6·3)/5 = 5.2; idx 3: (6·3 + 8·0)/3 = 6
    expectSeries(vwap(h, l, c, f64([1, 2, 3, 0]), 2), [N, 10 / 3, 5.2, 6]);
  });
  it('a window without volume is NaN, and the next bar with volume is exact', () => {
    // idx 2: volumes 0, 0 → NaN; idx 3: (6·0 + 8·2)/2 = 8
    expectSeries(vwap(h, l, c, f64([1, 0, 0, 2]), 2), [N, 2, N, 8]);
  });
});

describe('sessionVwap', () => {
  it('re-anchors at 00:00 UTC', () => {
    const ts = f64([DAY_MS - 120_000, DAY_MS - 60_000, DAY_MS, DAY_MS + 60_000]);
    const h = f64([3, 6, 9, 12]);
    const l = f64([1, 2, 3, 4]);
    const c = f64([2, 4, 6, 8]);
    // day 0: 2, (2 + 8)/3; day 1: 6, (18 + 8)/4
    expectSeries(sessionVwap(ts, h, l, c, f64([1, 2, 3, 1])), [2, 10 / 3, 6, 6.5]);
  });
  it('honours a session offset (e.g. a 08:00 UTC anchor)', () => {
    const eight = 8 * 3_600_000;
    const ts = f64([eight - 60_000, eight, eight + 60_000]);
    const tp = f64([2, 4, 6]);
    expectSeries(sessionVwap(ts, tp, tp, tp, f64([1, 1, 1]), DAY_MS, eight), [2, 4, 5]);
  });
});

describe('momentum and roc', () => {
  const x = f64([10, 11, 12, 0, 6]);
  it('momentum = x[i] − x[i−n]', () => {
    expectSeries(momentum(x, 2), [N, N, 2, -11, -6]);
  });
  it('roc = (x[i]/x[i−n] − 1)·100, 0 when x[i−n] is 0 (TA-Lib)', () => {
    // idx 2: 12/10 → 20; idx 3: 0/11 → −100; idx 4: 6/12 → −50
    expectSeries(roc(x, 2), [N, N, 20, -100, -50]);
    expectSeries(roc(f64([0, 1, 5]), 2), [N, N, 0]);
  });
});

describe('rsi edge conventions (TA-Lib)', () => {
  it('only gains → 100, only losses → 0, flat → 0', () => {
    expectSeries(rsi(f64([1, 2, 3, 4]), 2), [N, N, 100, 100]);
    expectSeries(rsi(f64([4, 3, 2, 1]), 2), [N, N, 0, 0]);
    expectSeries(rsi(f64([5, 5, 5, 5]), 2), [N, N, 0, 0]);
  });
  it('does not flatten satoshi-sized moves the way an absolute epsilon would', () => {
    // changes of 1e-9 and −1e-9 → avg gain = avg loss → 50
    expectSeries(rsi(f64([1e-8, 1.1e-8, 1e-8]), 2), [N, N, 50]);
  });
  it('Wilder smoothing after the seed: RSI(2) on 1, 2, 1, 3', () => {
    // seed at idx 2: gain 1/2, loss 1/2 → 50; idx 3: gain (0.5 + 2)/2 = 1.25, loss 0.25 → 100·1.25/1.5
    expectSeries(rsi(f64([1, 2, 1, 3]), 2), [N, N, 50, (100 * 1.25) / 1.5]);
  });
});
