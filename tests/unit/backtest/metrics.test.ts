import { describe, expect, it } from 'vitest';
import { computeBreakdowns, computeMetrics, tradeStats } from '../../../src/backtest/metrics.ts';
import { DAY, T0 } from './scripted-strategy.ts';

const trade = (pnl: number, returnPct: number, exitTs = T0, exitReason = 'signal', symbol = 'BTC/USDT') => ({ symbol, exitTs, pnl, returnPct, exitReason, fees: 1 });

describe('trade statistics (worked by hand)', () => {
  // P&L 10, −5, 20, −5: two wins of 10 and 20, two losses of 5.
  const t = tradeStats([trade(10, 10), trade(-5, -5), trade(20, 20), trade(-5, -5)]);

  it('win rate, best/worst/average trade, profit factor, expectancy', () => {
    expect(t.trades).toBe(4);
    expect(t.winRatePct).toBe(50);
    expect(t.bestTradePct).toBe(20);
    expect(t.worstTradePct).toBe(-5);
    expect(t.avgTradePct).toBe(5); // (10 − 5 + 20 − 5) / 4
    expect(t.profitFactor).toBe(3); // 30 / 10
    expect(t.expectancy).toBe(5);
    expect(t.fees).toBe(4);
  });

  it('SQN = √N × mean / sample stdev, Kelly = W − (1 − W) / R', () => {
    // deviations 5, −10, 15, −10 → Σ² = 450, / 3 = 150
    expect(t.sqn).toBeCloseTo((2 * 5) / Math.sqrt(150), 12);
    // average win 15, average loss 5 → R = 3; 0.5 − 0.5 / 3
    expect(t.kelly).toBeCloseTo(1 / 3, 12);
  });

  it('undefined figures are null, not zero', () => {
    const none = tradeStats([]);
    expect([none.winRatePct, none.profitFactor, none.sqn, none.kelly, none.expectancy]).toEqual([null, null, null, null, null]);
    const allWins = tradeStats([trade(1, 1), trade(2, 2)]);
    expect(allWins.profitFactor).toBeNull();
    expect(allWins.kelly).toBeNull();
    expect(allWins.winRatePct).toBe(100);
  });
});

describe('equity metrics (worked by hand)', () => {
  // Daily candles; equity 100 → 110 → 99 → 121 from an initial 100.
  const ts = Float64Array.from([0, 1, 2, 3], (i) => T0 + i * DAY);
  const equity = Float64Array.from([100, 110, 99, 121]);
  const close = Float64Array.from([50, 55, 45, 60]);
  const m = computeMetrics({ ts, close, equity, initialEquity: 100, timeframeMs: DAY, trades: [], exposedCandles: 3, daysPerYear: 365 });

  it('returns, buy & hold, exposure, peak', () => {
    expect(m.returnPct).toBeCloseTo(21, 12);
    expect(m.buyHoldReturnPct).toBeCloseTo(20, 12); // 50 → 60
    expect(m.exposurePct).toBe(75);
    expect(m.peakEquity).toBe(121);
    expect(m.finalEquity).toBe(121);
    expect(m.durationMs).toBe(4 * DAY);
    expect(m.start).toBe(T0);
    expect(m.end).toBe(T0 + 3 * DAY);
  });

  it('drawdown: 110 → 99 is −10 %, lasting from the day-1 peak to the day-3 recovery', () => {
    expect(m.maxDrawdownPct).toBeCloseTo(-10, 12);
    expect(m.maxDrawdownDurationMs).toBe(2 * DAY);
    expect(m.avgDrawdownPct).toBeCloseTo(-10, 12);
    expect(m.avgDrawdownDurationMs).toBe(2 * DAY);
  });

  it('CAGR over 4 days, Sharpe and Sortino from daily returns, Calmar = CAGR / |max drawdown|', () => {
    const years = 4 / 365;
    const cagr = Math.pow(1.21, 1 / years) - 1;
    expect(m.cagrPct / (cagr * 100)).toBeCloseTo(1, 12); // a huge number: compare relatively
    // Daily returns: 0, 0.1, −0.1, 0.2222…
    const r = [0, 0.1, -0.1, 121 / 99 - 1];
    const mean = r.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 10);
    expect(m.annualVolatilityPct).toBeCloseTo(sd * Math.sqrt(365) * 100, 8);
    const downside = Math.sqrt(0.01 / 4); // only −0.1 is negative
    expect(m.sortino).toBeCloseTo((mean / downside) * Math.sqrt(365), 10);
    expect(m.calmar! / (cagr / 0.1)).toBeCloseTo(1, 12);
    // Geometric mean daily return 1.21^(1/4) − 1, compounded over 365 days.
    expect(m.annualReturnPct! / ((Math.pow(1.21, 365 / 4) - 1) * 100)).toBeCloseTo(1, 10);
  });

  it('a drawdown still open at the end lasts until the last candle', () => {
    const eq = Float64Array.from([100, 120, 90, 96]);
    const d = computeMetrics({ ts, close, equity: eq, initialEquity: 100, timeframeMs: DAY, trades: [], exposedCandles: 0 });
    expect(d.maxDrawdownPct).toBeCloseTo(-25, 12);
    expect(d.maxDrawdownDurationMs).toBe(2 * DAY);
  });

  it('hourly candles are grouped into days for the ratios', () => {
    const hourTs = Float64Array.from({ length: 48 }, (_, i) => T0 + i * 3_600_000);
    const eq = Float64Array.from({ length: 48 }, (_, i) => (i < 24 ? 100 + i : 200 + i));
    const c = Float64Array.from({ length: 48 }, () => 1);
    const h = computeMetrics({ ts: hourTs, close: c, equity: eq, initialEquity: 100, timeframeMs: 3_600_000, trades: [], exposedCandles: 0 });
    // Two days: 123/100 − 1 and 247/123 − 1.
    const r = [0.23, 247 / 123 - 1];
    const mean = (r[0]! + r[1]!) / 2;
    const sd = Math.sqrt(((r[0]! - mean) ** 2 + (r[1]! - mean) ** 2) / 1);
    expect(h.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 10);
  });
});

describe('breakdowns', () => {
  it('per pair, per exit reason and per month (quiet months included)', () => {
    const jan = Date.UTC(2024, 0, 15);
    const feb = Date.UTC(2024, 1, 10);
    const mar = Date.UTC(2024, 2, 5);
    const ts = Float64Array.from([jan, feb, mar]);
    const equity = Float64Array.from([110, 110, 99]);
    const b = computeBreakdowns(ts, equity, 100, [
      trade(10, 10, jan, 'take-profit', 'BTC/USDT'),
      trade(-11, -10, mar, 'stop-loss', 'ETH/USDT'),
      trade(4, 2, mar, 'take-profit', 'BTC/USDT'),
    ]);
    expect(b.perPair['BTC/USDT']).toEqual({ trades: 2, wins: 2, winRatePct: 100, pnl: 14, avgReturnPct: 6 });
    expect(b.perExitReason['stop-loss']).toMatchObject({ trades: 1, wins: 0, pnl: -11 });
    expect(b.perMonth.map((m) => [m.month, m.trades, m.pnl, Number(m.returnPct.toFixed(10))])).toEqual([
      ['2024-01', 1, 10, 10],
      ['2024-02', 0, 0, 0],
      ['2024-03', 2, -7, -10],
    ]);
  });
});
