import { describe, expect, it } from 'vitest';
import { applyGapPolicy, fillGaps, findGaps } from '../../../src/domain/candle-gaps.ts';
import { candlesFromRows, candlesToRows } from '../../../src/domain/candles.ts';

const M = 60_000;
const S = 1_000;
const row = (ts: number, close: number, volume = 1) => ({ ts, open: close, high: close, low: close, close, volume });

describe('candle gaps on misaligned data (a step that is not a whole number of timeframes)', () => {
  it('counts every grid slot strictly between the rows: 2.5 timeframes apart → 2 missing', () => {
    const c = candlesFromRows([row(0, 10), row(150 * S, 11)]);
    expect(findGaps(c, M)).toEqual({ missing: 2, gaps: [{ from: M, to: 2 * M, missing: 2 }] });
  });

  it('one millisecond past one timeframe already leaves a slot between the rows', () => {
    expect(findGaps(candlesFromRows([row(0, 10), row(M + 1, 11)]), M)).toEqual({ missing: 1, gaps: [{ from: M, to: M, missing: 1 }] });
    // Exactly one timeframe: contiguous.
    expect(findGaps(candlesFromRows([row(0, 10), row(M, 11)]), M)).toEqual({ missing: 0, gaps: [] });
    // Just under three timeframes: the slots at 1 and 2 timeframes are missing.
    expect(findGaps(candlesFromRows([row(0, 10), row(3 * M - 1, 11)]), M).missing).toBe(2);
  });

  it('adds up misaligned and aligned gaps over a series', () => {
    const c = candlesFromRows([row(0, 1), row(90 * S, 2), row(210 * S, 3), row(330 * S, 4)]);
    // 0→90 s: slot 60 s; 90→210 s: slots 150 s; 210→330 s: slot 270 s.
    expect(findGaps(c, M)).toEqual({
      missing: 3,
      gaps: [
        { from: 60 * S, to: 60 * S, missing: 1 },
        { from: 150 * S, to: 150 * S, missing: 1 },
        { from: 270 * S, to: 270 * S, missing: 1 },
      ],
    });
  });

  it('fill inserts a flat candle in each of those slots, keeping the real rows', () => {
    const c = candlesFromRows([row(0, 10), row(150 * S, 11)]);
    expect(candlesToRows(fillGaps(c, M))).toEqual([row(0, 10), row(M, 10, 0), row(2 * M, 10, 0), row(150 * S, 11)]);
    const r = applyGapPolicy(c, M, 'fill');
    expect(r.candles.length).toBe(4);
    expect(r.report.missing).toBe(2);
  });
});
