import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocCandles, candlesFromRows, CANDLE_FIELDS, type CandleRow, type Candles } from '../../../src/domain/candles.ts';
import { buildMultiTimeframe, projectToBase } from '../../../src/domain/multi-timeframe.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';

const M = 60_000;
const H = 3_600_000;

/** Minute k from 00:00: open 100+k, close 100.5+k; `skip` minutes are missing. */
function minutes(count: number, skip: (k: number) => boolean = () => false): Candles {
  const rows: CandleRow[] = [];
  for (let k = 0; k < count; k++) {
    if (!skip(k)) rows.push({ ts: k * M, open: 100 + k, high: 101.5 + k, low: 99 + k, close: 100.5 + k, volume: 1 });
  }
  return candlesFromRows(rows);
}

describe('multi-timeframe view: a higher-timeframe candle is visible only once closed', () => {
  it('maps each 1m candle to the last 1h candle closed by its close', () => {
    const view = buildMultiTimeframe(minutes(180), M, H);
    expect(Array.from(view.htf.ts)).toEqual([0, H, 2 * H]);
    expect(view.htfIndexAt(0)).toBe(-1);
    expect(view.htfIndexAt(58)).toBe(-1); // 00:58 closes at 00:59: the 00:00 hour is still open
    expect(view.htfIndexAt(59)).toBe(0); // 00:59 closes at 01:00, together with the hour
    expect(view.htfIndexAt(60)).toBe(0);
    expect(view.htfIndexAt(118)).toBe(0);
    expect(view.htfIndexAt(119)).toBe(1);
    expect(view.htfIndexAt(179)).toBe(2);
    expect(view.htfIndex.length).toBe(180);
    expect(() => view.htfIndexAt(180)).toThrow(RangeError);
  });

  it('a gap at the end of an hour delays that hour to the next candle that exists', () => {
    // 01:57–01:59 missing: the 01:00 hour is only known at the 02:00 candle (closes 02:01).
    const base = minutes(180, (k) => k >= 117 && k <= 119);
    const view = buildMultiTimeframe(base, M, H);
    const at = (minute: number) => view.htfIndexAt(base.ts.indexOf(minute * M));
    expect(at(116)).toBe(0);
    expect(at(120)).toBe(1);
  });

  it('never exposes a higher-timeframe candle whose bucket reaches past the base candle (real data)', () => {
    const base = parseCandleText(
      readFileSync(new URL('../../fixtures/candles/btc-perp-20211231-20220201_1m.csv', import.meta.url), 'utf8'),
      'btc.csv',
    );
    const view = buildMultiTimeframe(base, M, H);
    const { htf } = view;
    for (let i = 0; i < base.length; i++) {
      const j = view.htfIndex[i]!;
      const baseClose = base.ts[i]! + M;
      if (j >= 0 && htf.ts[j]! + H > baseClose) expect.fail(`look-ahead at ${i}`);
      if (j + 1 < htf.length && htf.ts[j + 1]! + H <= baseClose) expect.fail(`closed candle hidden at ${i}`);
    }
    expect(view.htfIndexAt(0)).toBe(-1); // 23:01; first complete hour is 00:00, closing 01:00
    expect(view.htfIndexAt(base.ts.indexOf(Date.UTC(2022, 0, 1, 0, 59)))).toBe(0);
  });

  it('projected values at i do not change when the future after i changes', () => {
    const base = minutes(600);
    const cut = 250;
    const future = allocCandles(base.length);
    for (const f of CANDLE_FIELDS) future[f].set(base[f]);
    for (let i = cut + 1; i < base.length; i++) {
      for (const f of ['open', 'high', 'low', 'close'] as const) future[f][i] = base[f][i]! * 3;
      future.volume[i] = 999;
    }
    const before = buildMultiTimeframe(base, M, H);
    const after = buildMultiTimeframe(future, M, H);
    const closeBefore = projectToBase(before.htf.close, before);
    const closeAfter = projectToBase(after.htf.close, after);
    const volBefore = projectToBase(before.htf.volume, before);
    const volAfter = projectToBase(after.htf.volume, after);
    for (let i = 0; i <= cut; i++) {
      expect(Object.is(closeAfter[i], closeBefore[i]), `close at ${i}`).toBe(true);
      expect(Object.is(volAfter[i], volBefore[i]), `volume at ${i}`).toBe(true);
    }
    expect(closeAfter[cut + 60]).not.toBe(closeBefore[cut + 60]); // the test can see a change
    expect(closeBefore[59]).toBe(159.5);
    expect(closeBefore[58]).toBeNaN();
  });

  it('projectToBase refuses values of the wrong length', () => {
    const view = buildMultiTimeframe(minutes(120), M, H);
    expect(() => projectToBase(new Float64Array(5), view)).toThrow(RangeError);
  });
});
