import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferCalendar, stepName } from '../../../src/backtest/calendar.ts';
import { computeMetrics, DAY_MS } from '../../../src/backtest/metrics.ts';
import { noTradeReason } from '../../../src/backtest/no-trade-reason.ts';
import { runBacktest } from '../../../src/backtest/run-backtest.ts';
import { parseCandleText } from '../../../src/domain/candle-parsing/parse-candle-text.ts';
import { smaCross } from '../../../src/strategies/sma-cross.ts';

const fixture = (name: string) => parseCandleText(readFileSync(`tests/fixtures/candles/${name}`, 'utf8'), name);

describe('timeframe and calendar inference', () => {
  it('month-end bars (BTCUSD 2012–2024) are 1M with 12 periods a year, not "4w"', () => {
    const c = inferCalendar(fixture('BTCUSD.csv').ts);
    expect(c.timeframe).toBe('1M');
    expect(c.periodsPerYear).toBe(12);
  });

  it('daily stock bars without weekends (GOOG) are 1d on a 252-day year', () => {
    const c = inferCalendar(fixture('GOOG.csv').ts);
    expect(c).toMatchObject({ timeframe: '1d', weekends: false, tradingDaysPerYear: 252, periodsPerYear: 252 });
  });

  it('crypto 1-minute bars with gaps are 1m on a 365-day year (the modal spacing, not the smallest gap)', () => {
    const c = inferCalendar(fixture('btc-perp-20211231-20220201_1m.csv').ts);
    expect(c).toMatchObject({ timeframe: '1m', weekends: true, periodsPerYear: 365 });
  });

  it('hourly FX bars (Monday–Friday) annualise daily returns over 252 days', () => {
    expect(inferCalendar(fixture('EURUSD.csv').ts)).toMatchObject({ timeframe: '1h', weekends: false, periodsPerYear: 252 });
  });

  it('weekdays are told apart before 1970 and at the far end of what a Date holds, as Date tells them', () => {
    // Weekday-only daily bars (five a week) in three eras: the calendar must see no weekend bar in any.
    for (const start of [Date.UTC(1950, 0, 2), Date.UTC(2024, 0, 1), Date.UTC(275_000, 0, 1)]) {
      const days: number[] = [];
      for (let t = start; days.length < 400; t += DAY_MS) {
        const dow = new Date(t).getUTCDay();
        if (dow !== 0 && dow !== 6) days.push(t);
      }
      expect(inferCalendar(Float64Array.from(days), { timeframeMs: DAY_MS }).weekends, new Date(start).toISOString()).toBe(false);
      // Every day of the week: weekend bars are seen.
      const all = Float64Array.from({ length: 400 }, (_, i) => start + i * DAY_MS);
      expect(inferCalendar(all, { timeframeMs: DAY_MS }).weekends).toBe(true);
    }
    // Beyond a Date's range (day numbers past 32 bits) the same arithmetic in doubles: day 2^33 + 3 is a
    // Monday (day 0 a Thursday, 2^33 ≡ 1 mod 7), then five days a week.
    const monday = (2 ** 33 + 3) * DAY_MS;
    const far = Float64Array.from({ length: 400 }, (_, i) => monday + (i % 5) * DAY_MS + Math.floor(i / 5) * 7 * DAY_MS);
    expect(inferCalendar(far, { timeframeMs: DAY_MS }).weekends).toBe(false);
  });

  it('weekly bars have 52 periods a year; a known timeframe is kept; the override wins', () => {
    const weekly = Float64Array.from({ length: 60 }, (_, i) => Date.UTC(2024, 0, 1) + i * 7 * DAY_MS);
    expect(inferCalendar(weekly)).toMatchObject({ timeframe: '1w', periodsPerYear: 52 });
    const daily = Float64Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY_MS);
    expect(inferCalendar(daily, { timeframeMs: DAY_MS })).toMatchObject({ timeframe: '1d', weekends: true, periodsPerYear: 365 });
    expect(inferCalendar(daily, { periodsPerYear: 260 }).periodsPerYear).toBe(260);
  });

  it('names fixed steps', () => {
    expect([stepName(60_000), stepName(4 * 3_600_000), stepName(DAY_MS), stepName(7 * DAY_MS), stepName(1234)]).toEqual(['1m', '4h', '1d', '1w', '1234ms']);
  });
});

describe('annualisation', () => {
  it('annual return on GOOG agrees with CAGR (252 trading days, not 365)', () => {
    const r = runBacktest({ candles: fixture('GOOG.csv'), strategy: smaCross, params: { fast: 10, slow: 20 } });
    expect(r.periodsPerYear).toBe(252);
    expect(Math.abs(r.annualReturnPct! - r.cagrPct)).toBeLessThan(0.5);
    expect(r.timeframe).toBe('1d');
  });

  it('monthly data annualises per bar with 12 periods: a steady 1 %/month is 12.68 %/year', () => {
    const ts = Float64Array.from({ length: 25 }, (_, i) => Date.UTC(2020, i, 1));
    const equity = Float64Array.from({ length: 25 }, (_, i) => 100 * 1.01 ** (i + 1));
    const m = computeMetrics({ ts, close: equity, equity, initialEquity: 100, timeframeMs: 30.436875 * DAY_MS, trades: [], exposedCandles: 25, periodsPerYear: 12 });
    expect(m.annualReturnPct!).toBeCloseTo((1.01 ** 12 - 1) * 100, 8);
    expect(m.periodsPerYear).toBe(12);
  });

  it('--periods-per-year overrides the inferred calendar', () => {
    const r = runBacktest({ candles: fixture('GOOG.csv'), strategy: smaCross, periodsPerYear: 365 });
    expect(r.periodsPerYear).toBe(365);
    expect(() => runBacktest({ candles: fixture('GOOG.csv'), strategy: smaCross, periodsPerYear: 0 })).toThrow(/periods per year/);
  });
});

describe('trade duration and streaks', () => {
  const t = (entryDay: number, exitDay: number, pnl: number) => ({ symbol: 'X', entryTs: entryDay * DAY_MS, exitTs: exitDay * DAY_MS, pnl, returnPct: pnl, exitReason: 's', fees: 0 });
  it('average and longest duration; longest runs of wins and losses (break-even ends both)', () => {
    const trades = [t(0, 1, 5), t(2, 5, 3), t(6, 7, -1), t(8, 9, -2), t(10, 11, -3), t(12, 13, 0), t(14, 20, 4)];
    const ts = Float64Array.from([0, DAY_MS]);
    const eq = Float64Array.from([100, 100]);
    const m = computeMetrics({ ts, close: eq, equity: eq, initialEquity: 100, timeframeMs: DAY_MS, trades, exposedCandles: 0 });
    expect(m.avgTradeDurationMs).toBe(((1 + 3 + 1 + 1 + 1 + 1 + 6) / 7) * DAY_MS);
    expect(m.maxTradeDurationMs).toBe(6 * DAY_MS);
    expect(m.maxConsecutiveWins).toBe(2);
    expect(m.maxConsecutiveLosses).toBe(3);
  });
  it('no trades: durations are null, streaks 0', () => {
    const ts = Float64Array.from([0]);
    const m = computeMetrics({ ts, close: ts, equity: Float64Array.from([1]), initialEquity: 1, timeframeMs: DAY_MS, trades: [], exposedCandles: 0 });
    expect([m.avgTradeDurationMs, m.maxTradeDurationMs, m.maxConsecutiveWins, m.maxConsecutiveLosses]).toEqual([null, null, 0, 0]);
  });
});

describe('a run without trades says why', () => {
  it('no entry signal, all refused (with the reasons), data shorter than the warm-up', () => {
    expect(noTradeReason({ candles: 100, firstDecision: 30, warmup: 31, entrySignals: 0, denials: {} })).toMatch(/no entry signal in the 70 candles after its warm-up of 31/);
    expect(noTradeReason({ candles: 100, firstDecision: 30, warmup: 31, entrySignals: 4, denials: { MIN_NOTIONAL: 3, NO_CASH: 1 } })).toBe(
      'no trade: all 4 entry signals were refused by the pre-flight checks (MIN_NOTIONAL ×3, NO_CASH ×1)',
    );
    expect(noTradeReason({ candles: 10, firstDecision: 30, warmup: 31, entrySignals: 0, denials: {} })).toMatch(/not more than the strategy's warm-up of 31/);
  });

  it('a real run: a slow average longer than the data, and a minimum order value no entry can meet', () => {
    const c = fixture('GOOG.csv');
    const short = runBacktest({ candles: c, strategy: smaCross, params: { fast: 10, slow: 3000 } });
    expect(short.trades).toBe(0);
    expect(short.noTradeReason).toMatch(/warm-up of 3001/);
    const refused = runBacktest({ candles: c, strategy: smaCross, minNotional: 1e9 });
    expect(refused.trades).toBe(0);
    expect(refused.noTradeReason).toMatch(/refused by the pre-flight checks \(/);
    const traded = runBacktest({ candles: c, strategy: smaCross });
    expect(traded.noTradeReason).toBeUndefined();
  });
});
