import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { candlesFromRows, candlesToRows } from '../../../src/domain/candles.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { applyGapPolicy, fillGaps, findGaps, inferStepMs } from '../../../src/domain/candle-gaps.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';

const M = 60_000;
const fixture = (name: string) =>
  parseCandleText(readFileSync(new URL(`../../fixtures/candles/${name}`, import.meta.url), 'utf8'), name);
const row = (minute: number, close: number, volume = 1) => ({ ts: minute * M, open: close, high: close + 1, low: close - 1, close, volume });

describe('findGaps', () => {
  it('finds exactly 717 missing minutes in 538 gaps in freqtrade UNITTEST_BTC-1m', () => {
    const c = fixture('freqtrade_UNITTEST_BTC-1m.json');
    const report = findGaps(c, M);
    expect(report.missing).toBe(717);
    expect(report.gaps.length).toBe(538);
    expect(report.gaps[0]).toEqual({ from: 1509836880000, to: 1509837180000, missing: 6 });
    expect(report.gaps.reduce((s, g) => s + g.missing, 0)).toBe(717);
    for (const g of report.gaps) expect((g.to - g.from) / M + 1).toBe(g.missing);
  });

  it('reports runs with first/last missing open time on a hand-made series', () => {
    const c = candlesFromRows([row(0, 10), row(1, 11), row(4, 12), row(5, 13), row(7, 14)]);
    expect(findGaps(c, M)).toEqual({
      missing: 3,
      gaps: [
        { from: 2 * M, to: 3 * M, missing: 2 },
        { from: 6 * M, to: 6 * M, missing: 1 },
      ],
    });
  });

  it('finds no gap in contiguous data, nor in 0 or 1 candles', () => {
    expect(findGaps(fixture('btc-perp-20211231-20220201_1m.csv'), M)).toEqual({ missing: 0, gaps: [] });
    expect(findGaps(candlesFromRows([]), M)).toEqual({ missing: 0, gaps: [] });
    expect(findGaps(candlesFromRows([row(3, 1)]), M)).toEqual({ missing: 0, gaps: [] });
  });

  it('refuses a timeframe longer than the data step or unsorted data instead of reporting nonsense', () => {
    const c = candlesFromRows([row(0, 1), row(1, 2)]);
    expect(() => findGaps(c, 5 * M)).toThrow(AppError);
    expect(() => findGaps(candlesFromRows([row(1, 1), row(0, 2)]), M)).toThrow(/less than the 60000 ms timeframe/);
    expect(() => findGaps(c, 0)).toThrow(AppError);
  });
});

describe('fillGaps', () => {
  it('fills with flat zero-volume candles at the previous close', () => {
    const c = candlesFromRows([row(0, 10, 5), row(3, 12, 7), row(4, 13, 2)]);
    const filled = fillGaps(c, M);
    expect(candlesToRows(filled)).toEqual([
      row(0, 10, 5),
      { ts: 1 * M, open: 10, high: 10, low: 10, close: 10, volume: 0 },
      { ts: 2 * M, open: 10, high: 10, low: 10, close: 10, volume: 0 },
      row(3, 12, 7),
      row(4, 13, 2),
    ]);
  });

  it('makes the freqtrade file contiguous without touching the real candles', () => {
    const c = fixture('freqtrade_UNITTEST_BTC-1m.json');
    const filled = fillGaps(c, M);
    expect(filled.length).toBe(13_681 + 717);
    for (let i = 1; i < filled.length; i++) {
      if (filled.ts[i]! - filled.ts[i - 1]! !== M) expect.fail(`not contiguous at ${i}`);
    }
    expect(findGaps(filled, M).missing).toBe(0);
    let real = 0;
    for (let i = 0, j = 0; i < filled.length; i++) {
      if (j < c.length && filled.ts[i] === c.ts[j]) {
        expect(filled.close[i]).toBe(c.close[j]);
        expect(filled.volume[i]).toBe(c.volume[j]);
        j++;
        real++;
      } else {
        expect(filled.volume[i]).toBe(0);
        expect(filled.open[i]).toBe(filled.close[i - 1]);
        expect(filled.high[i]).toBe(filled.low[i]);
      }
    }
    expect(real).toBe(c.length);
  });

  it('returns the input itself when nothing is missing', () => {
    const c = candlesFromRows([row(0, 1), row(1, 2)]);
    expect(fillGaps(c, M)).toBe(c);
  });
});

describe('applyGapPolicy', () => {
  const c = candlesFromRows([row(0, 10), row(2, 11)]);
  it('leave keeps the series and reports the gap', () => {
    const r = applyGapPolicy(c, M, 'leave');
    expect(r.candles).toBe(c);
    expect(r.report.missing).toBe(1);
  });
  it('fill fills and reports what it filled', () => {
    const r = applyGapPolicy(c, M, 'fill');
    expect(Array.from(r.candles.ts)).toEqual([0, M, 2 * M]);
    expect(r.report.gaps).toEqual([{ from: M, to: M, missing: 1 }]);
  });
  it('refuses an unknown policy', () => {
    expect(() => applyGapPolicy(c, M, 'interpolate' as never)).toThrow(/not one of leave, fill/);
  });
});

describe('inferStepMs', () => {
  it('is the smallest step, gaps notwithstanding', () => {
    expect(inferStepMs(fixture('freqtrade_UNITTEST_BTC-1m.json'))).toBe(M);
    expect(inferStepMs(fixture('GOOG.csv'))).toBe(86_400_000);
    expect(inferStepMs(candlesFromRows([row(0, 1)]))).toBeUndefined();
  });
});
