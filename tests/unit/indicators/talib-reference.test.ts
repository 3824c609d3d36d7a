/**
 * Every indicator present in the TA-Lib reference files (RSI, EMA, SMA, Bollinger) matches every
 * file within 1e-9 relative error, with NaN exactly where the reference cell is empty (same
 * warm-up indices). The files hold 12 decimals, hence the 5e-13 absolute slack for values near 0.
 */
import { describe, expect, it } from 'vitest';
import { bollinger, bollingerBands, ema, rsi, sma } from '../../../src/indicators/index.ts';
import { TALIB_FILES, loadTalibCsv, seriesMismatch } from './support/reference.ts';

const REL = 1e-9;
const ABS = 5e-13;

describe.each(TALIB_FILES)('TA-Lib reference %s', (file) => {
  const ref = loadTalibCsv(file);
  const close = ref.col['close']!;

  it('has the expected columns and rows', () => {
    expect(ref.rows).toBeGreaterThan(10);
    for (const c of ['rsi14', 'ema9', 'ema10', 'ema12', 'ema26', 'sma20', 'bb20_2_upper', 'bb10_2_lower']) {
      expect(ref.col[c], c).toBeDefined();
    }
  });

  it('rsi(14)', () => {
    expect(seriesMismatch(rsi(close, 14), ref.col['rsi14']!, REL, ABS)).toBeNull();
  });

  it.each([9, 10, 12, 26])('ema(%i)', (n) => {
    expect(seriesMismatch(ema(close, n), ref.col[`ema${n}`]!, REL, ABS)).toBeNull();
  });

  it('sma(20)', () => {
    expect(seriesMismatch(sma(close, 20), ref.col['sma20']!, REL, ABS)).toBeNull();
  });

  it.each([20, 10])('bollinger(%i, 2)', (n) => {
    const bb = bollinger(close, n, 2);
    expect(seriesMismatch(bb.upper, ref.col[`bb${n}_2_upper`]!, REL, ABS)).toBeNull();
    expect(seriesMismatch(bb.middle, ref.col[`bb${n}_2_middle`]!, REL, ABS)).toBeNull();
    expect(seriesMismatch(bb.lower, ref.col[`bb${n}_2_lower`]!, REL, ABS)).toBeNull();
  });

  it.each([20, 10])('bollingerBands(%i, 2): the same bands as bollinger, bit for bit, in one pass', (n) => {
    const bands = bollingerBands(close, n, 2);
    const bb = bollinger(close, n, 2);
    expect(seriesMismatch(bands.upper, ref.col[`bb${n}_2_upper`]!, REL, ABS)).toBeNull();
    expect(seriesMismatch(bands.lower, ref.col[`bb${n}_2_lower`]!, REL, ABS)).toBeNull();
    expect(Buffer.from(bands.upper.buffer).equals(Buffer.from(bb.upper.buffer))).toBe(true);
    expect(Buffer.from(bands.lower.buffer).equals(Buffer.from(bb.lower.buffer))).toBe(true);
    expect(Object.keys(bands)).toEqual(['upper', 'lower']);
  });

  it('the warm-up lengths are TA-Lib lookbacks (first value index)', () => {
    const firstValid = (x: Float64Array) => x.findIndex((v) => !Number.isNaN(v));
    const expectFirst = (x: Float64Array, idx: number) => expect(firstValid(x)).toBe(close.length > idx ? idx : -1);
    expectFirst(ref.col['rsi14']!, 14);
    expectFirst(ref.col['ema9']!, 8);
    expectFirst(ref.col['sma20']!, 19);
    expectFirst(ref.col['bb10_2_upper']!, 9);
  });
});

describe('the comparison helper itself', () => {
  it('rejects a value off by more than 1e-9 relative and a NaN in the wrong place', () => {
    const ref = Float64Array.from([Number.NaN, 100, 200]);
    expect(seriesMismatch(Float64Array.from([Number.NaN, 100 * (1 + 2e-9), 200]), ref, REL)).toMatch(/index 1/);
    expect(seriesMismatch(Float64Array.from([1, 100, 200]), ref, REL)).toMatch(/index 0/);
    expect(seriesMismatch(Float64Array.from([Number.NaN, 100, Number.NaN]), ref, REL)).toMatch(/index 2/);
    expect(seriesMismatch(Float64Array.from([Number.NaN, 100 * (1 + 5e-10), 200]), ref, REL)).toBeNull();
  });
});
