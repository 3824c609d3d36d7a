import { describe, expect, it } from 'vitest';
import type { CandleRow } from '../../../../src/domain/candles.ts';
import { CHUNK, SyntheticSeries } from '../../../../src/adapters/exchange/sim/synthetic-market.ts';

const TF = 60_000;
const mk = (seed: number, symbol: string, basePrice = 60_000, priceStep?: number) =>
  new SyntheticSeries({ seed, symbol, timeframeMs: TF, startTs: 1_700_000_000_000 - (1_700_000_000_000 % TF), basePrice, priceStep });

function closes(s: SyntheticSeries, from: number, to: number): number[] {
  const r: CandleRow = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  const out: number[] = [];
  for (let k = from; k < to; k++) {
    s.row(k, r);
    out.push(r.close);
  }
  return out;
}

describe('SyntheticSeries', () => {
  it('is deterministic per (seed, symbol) and differs across seeds and symbols', () => {
    const a = closes(mk(42, 'BTC/USDT'), 0, 3000);
    expect(closes(mk(42, 'BTC/USDT'), 0, 3000)).toEqual(a);
    expect(closes(mk(43, 'BTC/USDT'), 0, 3000)).not.toEqual(a);
    expect(closes(mk(42, 'ETH/USDT'), 0, 3000)).not.toEqual(a);
  });

  it('gives the same candle whether read in order, out of order or after its chunk was evicted', () => {
    const seq = mk(7, 'SOL/USDT', 150);
    const all = closes(seq, 0, CHUNK * 10);
    const rnd = mk(7, 'SOL/USDT', 150);
    // Jump far ahead first (forces checkpoints), then come back to chunk 0 after eviction.
    expect(closes(rnd, CHUNK * 9 + 5, CHUNK * 9 + 10)).toEqual(all.slice(CHUNK * 9 + 5, CHUNK * 9 + 10));
    expect(closes(rnd, CHUNK * 3 - 2, CHUNK * 3 + 2)).toEqual(all.slice(CHUNK * 3 - 2, CHUNK * 3 + 2));
    expect(closes(rnd, 0, 10)).toEqual(all.slice(0, 10));
  });

  it('produces consistent candles: wicks around open and close, open = previous close, positive volume, uniform time', () => {
    const s = mk(1, 'BTC/USDT', 60_000, 0.01);
    const r: CandleRow = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    let prevClose = NaN;
    let prevTs = NaN;
    for (let k = 0; k < 20_000; k++) {
      s.row(k, r);
      expect(r.high).toBeGreaterThanOrEqual(Math.max(r.open, r.close));
      expect(r.low).toBeLessThanOrEqual(Math.min(r.open, r.close));
      expect(r.volume).toBeGreaterThan(0);
      // Prices are on the 0.01 tick.
      expect(Math.abs(r.close * 100 - Math.round(r.close * 100))).toBeLessThan(1e-6);
      if (k > 0) {
        expect(r.open).toBe(prevClose);
        expect(r.ts - prevTs).toBe(TF);
      }
      prevClose = r.close;
      prevTs = r.ts;
    }
  });

  it('starts near the symbol base price and stays in a plausible range over a long run', () => {
    const s = mk(3, 'BTC/USDT');
    const c = closes(s, 0, 200_000);
    expect(c[0]).toBeGreaterThan(55_000);
    expect(c[0]).toBeLessThan(65_000);
    expect(c.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(60_000 / 5);
    expect(c.reduce((a, b) => Math.max(a, b))).toBeLessThan(60_000 * 5);
  });

  it('clusters volatility (|returns| are autocorrelated) and has sharp drops of several % within a few candles', () => {
    const c = closes(mk(11, 'ETH/USDT', 3000), 0, 100_000);
    const abs: number[] = [];
    for (let i = 1; i < c.length; i++) abs.push(Math.abs(Math.log(c[i]! / c[i - 1]!)));
    const mean = abs.reduce((a, b) => a + b, 0) / abs.length;
    let num = 0;
    let den = 0;
    for (let i = 1; i < abs.length; i++) num += (abs[i]! - mean) * (abs[i - 1]! - mean);
    for (const x of abs) den += (x - mean) ** 2;
    // i.i.d. returns would give ≈ 0 (± 0.01 at this length).
    expect(num / den).toBeGreaterThan(0.1);
    let drops = 0;
    for (let i = 8; i < c.length; i += 8) if (c[i]! / c[i - 8]! < 0.97) drops++;
    expect(drops).toBeGreaterThan(3);
  });
});
