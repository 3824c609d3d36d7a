/**
 * The range forms of the kernels (what a strategy preparing by ranges calls chunk by chunk) return
 * exactly, bit for bit, what the whole-series kernels return — whatever the range lengths (1, 7,
 * 4,096, longer than the data, irregular), through warm-ups, NaN restarts and flat runs, written
 * into a buffer that holds only the current range.
 */
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import { atr, bbWidth, bollingerBands, highest, lowest, momentum, roc, rsi, sma, zscore } from '../../../src/indicators/index.ts';
import { bbWidthRange } from '../../../src/indicators/bb-width.ts';
import { laggedChangeRange } from '../../../src/indicators/lagged-change.ts';
import { zscoreRange } from '../../../src/indicators/zscore.ts';
import { atrRange, newAtrState } from '../../../src/indicators/atr.ts';
import { ExtremeRangeState, rollingExtremeRange } from '../../../src/indicators/rolling-extreme.ts';
import { newWindowState, rollingBandsRange, rollingMeanRange } from '../../../src/indicators/rolling-moments.ts';
import { newRsiState, rsiRange } from '../../../src/indicators/rsi.ts';
import { rsiBandsRange } from '../../../src/indicators/rsi-bands.ts';
import { firstBitDifference } from './support/reference.ts';

function closes(): Float64Array {
  const x = syntheticCandles(9000, 11).close;
  x[0] = Number.NaN; // a NaN first value
  x[1000] = Number.NaN; // a lone NaN
  x[4095] = Number.NaN; // NaNs either side of a 4,096 boundary
  x[4096] = Number.NaN;
  x[6000] = Number.NaN;
  x[6005] = Number.NaN; // a NaN inside the next warm-up
  for (let i = 7000; i < 7100; i++) x[i] = 41_234.5; // a flat market
  return x;
}

/** Consecutive ranges over `len` rows: all of `size`, or a repeating pattern of sizes. */
function ranges(len: number, sizes: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 0, k = 0; from < len; k++) {
    const to = Math.min(len, from + sizes[k % sizes.length]!);
    out.push([from, to]);
    from = to;
  }
  return out;
}

/**
 * Runs `fill(from, to, out, base)` over the ranges with an output buffer holding one range only
 * (row i at `i − from`), and copies each range into the whole series for the comparison.
 */
function byRanges(len: number, sizes: readonly number[], outputs: number, fill: (from: number, to: number, outs: Float64Array[], base: number) => void): Float64Array[] {
  const whole = Array.from({ length: outputs }, () => new Float64Array(len).fill(-1));
  for (const [from, to] of ranges(len, sizes)) {
    const outs = Array.from({ length: outputs }, () => new Float64Array(to - from).fill(-2));
    fill(from, to, outs, from);
    outs.forEach((o, k) => whole[k]!.set(o, from));
  }
  return whole;
}

const SIZES: ReadonlyArray<readonly number[]> = [[1], [7], [4096], [20_000], [3, 1, 500, 13, 4096]];

describe('indicator range forms equal the whole-series kernels', () => {
  const x = closes();
  for (const sizes of SIZES) {
    for (const n of [1, 2, 14, 50]) {
      it(`rsi(${n}) over ranges of ${sizes.join(', ')}`, () => {
        const state = newRsiState();
        const [got] = byRanges(x.length, sizes, 1, (from, to, [out], base) => rsiRange(x, n, from, to, state, out!, base));
        expect(firstBitDifference(got!, rsi(x, n))).toBeNull();
      });
      it(`bollinger bands(${n}, 2) and sma(${n}) over ranges of ${sizes.join(', ')}`, () => {
        const bands = newWindowState();
        const mean = newWindowState();
        const [upper, lower, avg] = byRanges(x.length, sizes, 3, (from, to, [u, l, m], base) => {
          rollingBandsRange(x, n, 2, from, to, bands, u!, l!, base);
          rollingMeanRange(x, n, from, to, mean, m!, base);
        });
        const want = bollingerBands(x, n, 2);
        expect(firstBitDifference(upper!, want.upper)).toBeNull();
        expect(firstBitDifference(lower!, want.lower)).toBeNull();
        expect(firstBitDifference(avg!, sma(x, n))).toBeNull();
      });
    }
  }

  const c = syntheticCandles(9000, 12);
  c.high[10] = Number.NaN; // a NaN in one column only
  c.low[4096] = Number.NaN;
  c.close[4097] = Number.NaN;
  for (let i = 7000; i < 7100; i++) c.high[i] = c.low[i] = c.close[i] = 41_234.5;
  for (const sizes of SIZES) {
    for (const n of [1, 2, 14, 50]) {
      it(`highest(${n}), lowest(${n}) and atr(${n}) over ranges of ${sizes.join(', ')}`, () => {
        const hs = new ExtremeRangeState(n);
        const ls = new ExtremeRangeState(n);
        const as = newAtrState();
        const [hi, lo, tr] = byRanges(c.length, sizes, 3, (from, to, [h, l, a], base) => {
          rollingExtremeRange(c.high, n, true, from, to, hs, h!, base);
          rollingExtremeRange(x, n, false, from, to, ls, l!, base);
          atrRange(c.high, c.low, c.close, n, from, to, as, a!, base);
        });
        expect(firstBitDifference(hi!, highest(c.high, n))).toBeNull();
        expect(firstBitDifference(lo!, lowest(x, n))).toBeNull();
        expect(firstBitDifference(tr!, atr(c.high, c.low, c.close, n))).toBeNull();
      });
    }
  }

  for (const sizes of SIZES) {
    for (const n of [1, 2, 14, 50]) {
      it(`bbWidth(${n}, 2), roc(${n}), momentum(${n}) and zscore(${n}) of a series held by ranges, over ranges of ${sizes.join(', ')}`, () => {
        const w = newWindowState();
        const rocState = new Float64Array(1);
        const momState = new Float64Array(1);
        const z = newWindowState();
        // The z-score's input (the rate of change) is itself held by ranges with n rows carried before each one.
        let held = new Float64Array(0);
        let heldBase = 0;
        const [width, change, mom, zs] = byRanges(x.length, sizes, 4, (from, to, [wo, ro, mo, zo], base) => {
          const mean = new Float64Array(to - from);
          const sd = new Float64Array(to - from);
          bbWidthRange(x, n, 2, from, to, w, wo!, base, mean, sd);
          laggedChangeRange(x, n, false, from, to, momState, mo!, base);
          const next = new Float64Array(to - from + n).fill(Number.NaN);
          const carry = Math.min(n, from);
          next.set(held.subarray(from - carry - heldBase, from - heldBase), n - carry);
          held = next;
          heldBase = from - n;
          laggedChangeRange(x, n, true, from, to, rocState, held, heldBase);
          ro!.set(held.subarray(n));
          zscoreRange(held, heldBase, n, from, to, z, zo!, base, mean, sd);
        });
        expect(firstBitDifference(width!, bbWidth(x, n, 2))).toBeNull();
        expect(firstBitDifference(change!, roc(x, n))).toBeNull();
        expect(firstBitDifference(mom!, momentum(x, n))).toBeNull();
        expect(firstBitDifference(zs!, zscore(roc(x, n), n))).toBeNull();
      });
    }
  }

  for (const sizes of SIZES) {
    for (const [rn, bn] of [[14, 20], [1, 1], [2, 50], [50, 2]] as const) {
      it(`rsi(${rn}) with bollinger bands(${bn}, 2) in one pass, bands where RSI is past 30 / 70, over ranges of ${sizes.join(', ')}`, () => {
        const rs = newRsiState();
        const ws = newWindowState();
        // The quiet-row mask, collected range by range from buffers filled with a value it never writes.
        const inside = new Uint8Array(x.length).fill(9);
        const [r, upper, lower] = byRanges(x.length, sizes, 3, (from, to, [ro, u, l], base) => {
          const mask = new Uint8Array(to - from).fill(7);
          rsiBandsRange(x, rn, bn, 2, 30, 70, from, to, rs, ws, ro!, u!, l!, base, mask);
          inside.set(mask, from);
        });
        const want = rsi(x, rn);
        expect(firstBitDifference(r!, want)).toBeNull();
        const bands = bollingerBands(x, bn, 2);
        // Where the bands are asked for (RSI below 30, above 70 or NaN) they are the general kernel's;
        // elsewhere NaN (skipped) or, on rows taken row by row (warm-ups), the same value.
        const asked = (i: number) => !(want[i]! >= 30 && want[i]! <= 70);
        let askedRows = 0;
        let skipped = 0;
        for (let i = 0; i < x.length; i++) {
          // The mask: 1 exactly where RSI is between the thresholds (inclusive) or NaN.
          expect(inside[i], `inside ${i}`).toBe(want[i]! < 30 || want[i]! > 70 ? 0 : 1);
          if (asked(i)) askedRows++;
          else if (Number.isNaN(upper![i]) && !Number.isNaN(bands.upper[i]!)) {
            skipped++;
            expect(Number.isNaN(lower![i]), `lower ${i}`).toBe(true);
            continue;
          }
          expect(Object.is(upper![i], bands.upper[i]), `upper ${i}`).toBe(true);
          expect(Object.is(lower![i], bands.lower[i]), `lower ${i}`).toBe(true);
        }
        expect(askedRows).toBeGreaterThan(100);
        // RSI(1) is always 0 or 100: every row is asked for.
        if (rn > 1) expect(skipped).toBeGreaterThan(1000);
      });
    }
  }

  it('the one-pass form and the general kernels share their states: alternating them by range changes no value', () => {
    const rs = newRsiState();
    const ws = newWindowState();
    let k = 0;
    const [r, upper, lower] = byRanges(x.length, [5, 300, 1, 4096, 37], 3, (from, to, [ro, u, l], base) => {
      if (k++ % 2 === 0) rsiBandsRange(x, 14, 20, 2, 30, 70, from, to, rs, ws, ro!, u!, l!, base);
      else {
        rsiRange(x, 14, from, to, rs, ro!, base);
        rollingBandsRange(x, 20, 2, from, to, ws, u!, l!, base);
      }
    });
    const want = rsi(x, 14);
    expect(firstBitDifference(r!, want)).toBeNull();
    const bands = bollingerBands(x, 20, 2);
    for (let i = 0; i < x.length; i++) {
      if (want[i]! >= 30 && want[i]! <= 70 && Number.isNaN(upper![i]) && Number.isNaN(lower![i])) continue;
      expect(Object.is(upper![i], bands.upper[i]), `upper ${i}`).toBe(true);
      expect(Object.is(lower![i], bands.lower[i]), `lower ${i}`).toBe(true);
    }
  });

  it('write row i at i − base: a whole-series buffer (base 0) gets the same values', () => {
    const state = newRsiState();
    const out = new Float64Array(x.length);
    for (const [from, to] of ranges(x.length, [7])) rsiRange(x, 14, from, to, state, out, 0);
    expect(firstBitDifference(out, rsi(x, 14))).toBeNull();
  });
});
