import { describe, expect, it } from 'vitest';
import { KellyEstimator, kellyFraction } from '../../../src/risk/kelly.ts';
import { runBacktest } from '../../../src/backtest/index.ts';
import { bars, scripted } from './scripted-strategy.ts';

describe('Kelly sizing', () => {
  it('f* = W − (1 − W) / R', () => {
    expect(kellyFraction(0.6, 1)).toBeCloseTo(0.2, 12);
    expect(kellyFraction(0.5, 3)).toBeCloseTo(1 / 3, 12);
    expect(kellyFraction(0.4, 1)).toBeCloseTo(-0.2, 12);
  });

  it('uses the warm-up fraction until enough trades, then the clamped estimate', () => {
    const k = new KellyEstimator({ minTrades: 4, warmupFraction: 0.05 });
    expect(k.fraction()).toBe(0.05);
    for (const r of [3, -1, 3, -1]) k.add(r);
    // W = 0.5, R = 3 → 1/3
    expect(k.fraction()).toBeCloseTo(1 / 3, 12);
    for (const r of [-1, -1, -1, -1]) k.add(r);
    expect(k.fraction()).toBe(0); // negative edge: do not bet
  });

  it('kelly:F in a backtest commits that fraction of equity', () => {
    const c = bars([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [110, 110, 110, 110],
    ]);
    const r = runBacktest({ candles: c, strategy: scripted({ 0: [{ kind: 'enter', side: 'long' }] }), sizing: 'kelly:0.25', fill: 'close' });
    expect(r.tradeList[0]!.quantity).toBeCloseTo(25, 10); // 2500 / 100
    expect(r.options.sizing).toBe('kelly:0.25');
    const auto = runBacktest({ candles: c, strategy: scripted({ 0: [{ kind: 'enter', side: 'long' }] }), sizing: 'kelly', fill: 'close' });
    expect(auto.tradeList[0]!.quantity).toBeCloseTo(10, 10); // warm-up fraction 0.1
  });
});
