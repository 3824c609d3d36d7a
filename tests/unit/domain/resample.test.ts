import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { candlesFromRows, candlesToRows, type CandleRow } from '../../../src/domain/candles.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { resample } from '../../../src/domain/resample.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';

const M = 60_000;
const H = 3_600_000;
const D = 86_400_000;

// 1m candles from 00:02 to 00:21: the 00:00 bucket starts late (no 00:00, 00:01), minutes 12–13
// are missing (a hole inside the 00:10 bucket), and the 00:20 bucket ends early (data stops at 00:22).
const small: CandleRow[] = [
  [2, 10, 11, 9, 10.5, 1],
  [3, 10.5, 12, 10, 11, 2],
  [4, 11, 11.5, 10.5, 11.2, 3],
  [5, 11.2, 13, 11, 12.5, 4],
  [6, 12.5, 12.8, 12, 12.1, 5],
  [7, 12.1, 12.2, 10.8, 11, 6],
  [8, 11, 11.6, 10.9, 11.5, 7],
  [9, 11.5, 11.9, 11.3, 11.8, 8],
  [10, 11.8, 12, 11.7, 11.9, 9],
  [11, 11.9, 14, 11.9, 13.5, 10],
  [14, 13.6, 13.7, 13, 13.1, 11],
  [15, 13.1, 13.2, 12.5, 12.6, 12],
  [16, 12.6, 12.7, 12.4, 12.5, 13],
  [17, 12.5, 12.9, 12.5, 12.8, 14],
  [18, 12.8, 13.3, 12.7, 13.2, 15],
  [19, 13.2, 13.4, 13, 13, 16],
  [20, 13, 13.1, 12.9, 13.05, 17],
  [21, 13.05, 13.5, 13, 13.4, 18],
].map(([m, open, high, low, close, volume]) => ({ ts: m! * M, open: open!, high: high!, low: low!, close: close!, volume: volume! }));

// Worked out by hand from the table above.
const bucket0 = { ts: 0, open: 10, high: 12, low: 9, close: 11.2, volume: 6 };
const bucket5 = { ts: 5 * M, open: 11.2, high: 13, low: 10.8, close: 11.8, volume: 30 };
const bucket10 = { ts: 10 * M, open: 11.8, high: 14, low: 11.7, close: 13.1, volume: 30 };
const bucket15 = { ts: 15 * M, open: 13.1, high: 13.4, low: 12.4, close: 13, volume: 70 };
const bucket20 = { ts: 20 * M, open: 13, high: 13.5, low: 12.9, close: 13.4, volume: 35 };

describe('resample 1m → 5m (hand-computed)', () => {
  it('drops the partial first and last buckets by default and keeps the interior bucket with a hole', () => {
    expect(candlesToRows(resample(candlesFromRows(small), M, 5 * M))).toEqual([bucket5, bucket10, bucket15]);
  });

  it('keeps partial buckets on request', () => {
    expect(candlesToRows(resample(candlesFromRows(small), M, 5 * M, { partial: 'keep' }))).toEqual([bucket0, bucket5, bucket10, bucket15, bucket20]);
  });

  it('a bucket is complete once its last candle is present', () => {
    const upTo24 = [...small, { ts: 22 * M, open: 13.4, high: 13.4, low: 13.4, close: 13.4, volume: 0 }, { ts: 24 * M, open: 13.4, high: 13.6, low: 13.3, close: 13.5, volume: 1 }];
    const out = candlesToRows(resample(candlesFromRows(upTo24), M, 5 * M));
    expect(out.at(-1)).toEqual({ ts: 20 * M, open: 13, high: 13.6, low: 12.9, close: 13.5, volume: 36 });
  });
});

describe('resample 1m → 1h (hand-computed)', () => {
  // Minute k: open 100+k, close 100.5+k, high close+1, low open−1, volume 1; minutes 70–74 missing;
  // data runs from 00:00 to 02:29, so the 02:00 hour is partial.
  const rows: CandleRow[] = [];
  for (let k = 0; k < 150; k++) {
    if (k >= 70 && k <= 74) continue;
    rows.push({ ts: k * M, open: 100 + k, high: 101.5 + k, low: 99 + k, close: 100.5 + k, volume: 1 });
  }
  const hour0 = { ts: 0, open: 100, high: 160.5, low: 99, close: 159.5, volume: 60 };
  const hour1 = { ts: H, open: 160, high: 220.5, low: 159, close: 219.5, volume: 55 };
  const hour2 = { ts: 2 * H, open: 220, high: 250.5, low: 219, close: 249.5, volume: 30 };

  it('aggregates whole hours and drops the partial last one', () => {
    expect(candlesToRows(resample(candlesFromRows(rows), M, H))).toEqual([hour0, hour1]);
    expect(candlesToRows(resample(candlesFromRows(rows), M, H, { partial: 'keep' }))).toEqual([hour0, hour1, hour2]);
  });

  it('gives the same hours going 1m → 5m → 1h', () => {
    const fiveMin = resample(candlesFromRows(rows), M, 5 * M, { partial: 'keep' });
    expect(candlesToRows(resample(fiveMin, 5 * M, H))).toEqual([hour0, hour1]);
  });
});

describe('resample on the real BTC 1m file', () => {
  const text = readFileSync(new URL('../../fixtures/candles/btc-perp-20211231-20220201_1m.csv', import.meta.url), 'utf8');
  const candles = parseCandleText(text, 'btc-perp.csv');
  // Expected values straight from the CSV text, independent of the parser and resampler.
  const raw = text.trim().split('\n').slice(1).map((l) => l.split(','));
  const aggregateRaw = (fromIso: string, minutes: number) => {
    const from = raw.findIndex((f) => f[0]!.startsWith(fromIso));
    const part = raw.slice(from, from + minutes).map((f) => f.slice(1).map(Number));
    return {
      open: part[0]![0],
      high: Math.max(...part.map((p) => p[1]!)),
      low: Math.min(...part.map((p) => p[2]!)),
      close: part.at(-1)![3],
      volume: part.reduce((s, p) => s + p[4]!, 0),
    };
  };

  it('1h: drops the 23:00 hour (data starts 23:01) and the 05:00 hour (ends 05:31)', () => {
    const h = resample(candles, M, H);
    expect(h.ts[0]).toBe(Date.UTC(2022, 0, 1, 0));
    expect(h.ts[h.length - 1]).toBe(Date.UTC(2022, 1, 1, 4));
    expect(h.length).toBe(31 * 24 + 5);
    const first = aggregateRaw('2022-01-01 00:00', 60);
    expect({ open: h.open[0], high: h.high[0], low: h.low[0], close: h.close[0] }).toEqual({ open: first.open, high: first.high, low: first.low, close: first.close });
    expect(h.volume[0]).toBeCloseTo(first.volume, 4);
    const i = (Date.UTC(2022, 0, 15, 13) - h.ts[0]!) / H;
    const mid = aggregateRaw('2022-01-15 13:00', 60);
    expect([h.open[i], h.high[i], h.low[i], h.close[i]]).toEqual([mid.open, mid.high, mid.low, mid.close]);
    expect(h.volume[i]).toBeCloseTo(mid.volume, 4);
  });

  it('5m: first bucket 23:05, last 05:25, every bucket 5 minutes apart', () => {
    const f = resample(candles, M, 5 * M);
    expect(f.ts[0]).toBe(Date.UTC(2021, 11, 31, 23, 5));
    expect(f.ts[f.length - 1]).toBe(Date.UTC(2022, 1, 1, 5, 25));
    expect(f.length).toBe((f.ts[f.length - 1]! - f.ts[0]!) / (5 * M) + 1);
    const k = (Date.UTC(2022, 0, 20, 7, 35) - f.ts[0]!) / (5 * M);
    const exp = aggregateRaw('2022-01-20 07:35', 5);
    expect([f.open[k], f.high[k], f.low[k], f.close[k]]).toEqual([exp.open, exp.high, exp.low, exp.close]);
  });
});

describe('resample alignment and errors', () => {
  it('aligns weeks on Monday 00:00 UTC', () => {
    const days: CandleRow[] = [];
    for (let d = 0; d < 14; d++) days.push({ ts: Date.UTC(2024, 0, 1) + d * D, open: d, high: d + 1, low: d, close: d + 1, volume: 1 });
    const w = resample(candlesFromRows(days), D, 7 * D);
    expect(candlesToRows(w)).toEqual([
      { ts: Date.UTC(2024, 0, 1), open: 0, high: 7, low: 0, close: 7, volume: 7 }, // 2024-01-01 is a Monday
      { ts: Date.UTC(2024, 0, 8), open: 7, high: 14, low: 7, close: 14, volume: 7 },
    ]);
  });

  it('refuses a target that is not a whole multiple, and unsorted input', () => {
    const c = candlesFromRows(small);
    const err = (() => {
      try {
        resample(c, 5 * M, 7 * M);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_REQUEST');
    expect((err as AppError).message).toMatch(/whole multiple/);
    expect(() => resample(candlesFromRows([small[1]!, small[0]!]), M, 5 * M)).toThrow(/ascending/);
    expect(() => resample(c, M, 5 * M, { partial: 'maybe' as never })).toThrow(AppError);
  });

  it('returns nothing for nothing, and nothing when the only bucket is partial', () => {
    expect(resample(candlesFromRows([]), M, H).length).toBe(0);
    expect(resample(candlesFromRows(small), M, H).length).toBe(0);
  });
});
