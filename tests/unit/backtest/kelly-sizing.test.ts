import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/index.ts';
import { realisedVolatilityPct, type KellySettings } from '../../../src/risk/kelly-size.ts';
import type { Intent } from '../../../src/strategies/strategy.ts';
import { bars, scripted } from './scripted-strategy.ts';

const ENTER: Intent[] = [{ kind: 'enter', side: 'long' }];
const EXIT: Intent[] = [{ kind: 'exit' }];
const flat = (p: number) => [p, p, p, p] as const;
/** No volatility scaling, half-Kelly, 2 trades before the estimate counts, 10 % fallback. */
const K: KellySettings = { lookback: 10, multiplier: 0.5, minTrades: 2, targetVolPct: 0, volScaleCap: 2, maxPositionPct: 100, fallbackPct: 10 };

describe('ORDER_SIZING=kelly in a backtest (the run\'s own closed trades so far)', () => {
  // Entries and exits fill at the close (fill: close), no fee: every quantity follows by hand.
  const candles = bars([flat(100), flat(110), flat(100), flat(95), flat(100), flat(104)]);
  const script = { 0: ENTER, 1: EXIT, 2: ENTER, 3: EXIT, 4: ENTER, 5: EXIT };

  it('falls back to ORDER_SIZE_PCT below KELLY_MIN_TRADES, then sizes by f* × KELLY_FRACTION', () => {
    const r = runBacktest({ candles, strategy: scripted(script), sizing: 'kelly', kelly: K, fill: 'close' });
    const q = r.tradeList.map((t) => t.quantity);
    // Trade 1: no trade yet → 10 % of 10,000 at 100 = 10 (exit at 110: +100).
    expect(q[0]).toBeCloseTo(10, 10);
    // Trade 2: 1 trade < 2 → 10 % of 10,100 = 1,010 at 100 = 10.1 (exit at 95: −50.5).
    expect(q[1]).toBeCloseTo(10.1, 10);
    // Trade 3: W = 1/2, R = 100 / 50.5; f* = 0.5 − 0.5 / R = 0.2475; × 0.5 = 0.12375 of 10,049.5 at 100.
    const f = (0.5 - 0.5 / (100 / 50.5)) * 0.5;
    expect(f).toBeCloseTo(0.12375, 12);
    expect(q[2]).toBeCloseTo((10_049.5 * f) / 100, 9);
    expect(q[2]).toBeCloseTo(12.43625625, 6);
    expect(r.options.sizing).toBe('kelly');
    expect(r.options.kelly).toEqual(K);
  });

  it('caps the size at MAX_POSITION_PCT', () => {
    const r = runBacktest({ candles, strategy: scripted(script), sizing: 'kelly', kelly: { ...K, maxPositionPct: 12 }, fill: 'close' });
    // 0.12375 > 0.12: 12 % of 10,049.5 at 100.
    expect(r.tradeList[2]!.quantity).toBeCloseTo(12.0594, 9);
  });

  it('sizes 0 once the trades show no edge (W = 0): the entry is refused', () => {
    const losing = bars([flat(100), flat(90), flat(100), flat(90), flat(100), flat(104)]);
    const r = runBacktest({ candles: losing, strategy: scripted(script), sizing: 'kelly', kelly: K, fill: 'close' });
    expect(r.tradeList).toHaveLength(2);
    expect(r.denials.ZERO_SIZE).toBe(1);
  });

  it('looks back only KELLY_LOOKBACK trades', () => {
    // lookback 1: at trade 3 only the loss counts → W = 0 → no entry.
    const r = runBacktest({ candles, strategy: scripted(script), sizing: 'kelly', kelly: { ...K, lookback: 1, minTrades: 1 }, fill: 'close' });
    expect(r.tradeList).toHaveLength(2);
    // …trade 2 saw only the win: W = 1, R = ∞ → f* = W = 1, × 0.5 = half of 10,100 at 100.
    expect(r.tradeList[1]!.quantity).toBeCloseTo(50.5, 9);
  });

  it('scales by TARGET_VOLATILITY / realised volatility of the closes up to the decision', () => {
    const rows: Array<readonly [number, number, number, number]> = [];
    for (let i = 0; i < 40; i++) rows.push(flat(100 * (1 + 0.01 * Math.sin(i))));
    // A win (100 → 105), a loss (100 → 97), then the entry under test at 100.
    for (const [i, p] of [[30, 100], [31, 105], [32, 100], [33, 97], [35, 100]] as const) rows[i] = flat(p);
    const c = bars(rows, 3_600_000);
    const s: Record<number, Intent[]> = { 30: ENTER, 31: EXIT, 32: ENTER, 33: EXIT, 35: ENTER, 36: EXIT };
    const r = runBacktest({ candles: c, strategy: scripted(s), sizing: 'kelly', kelly: { ...K, targetVolPct: 20, volScaleCap: 10 }, fill: 'close' });
    const [t1, t2, t3] = r.tradeList;
    const stats = [t1!.pnl, t2!.pnl];
    const wins = stats.filter((p) => p > 0);
    const losses = stats.filter((p) => p < 0);
    expect(wins.length).toBe(1);
    expect(losses.length).toBe(1);
    const fStar = 0.5 - 0.5 / (wins[0]! / -losses[0]!);
    const vol = realisedVolatilityPct(c.close.subarray(0, 36), 3_600_000)!;
    const scale = Math.min(10, 20 / vol);
    const equity = 10_000 + t1!.pnl + t2!.pnl;
    expect(t3!.quantity).toBeCloseTo((equity * fStar * 0.5 * scale) / c.close[35]!, 6);
  });
});
