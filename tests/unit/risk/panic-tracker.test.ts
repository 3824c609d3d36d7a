import { describe, expect, it } from 'vitest';
import { PanicTracker } from '../../../src/risk/panic/panic-tracker.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Feeds candles `from..to` (inclusive, numbered in timeframes) at one close and volume. */
function feed(t: PanicTracker, from: number, to: number, close = 100, volume = 100): void {
  for (let i = from; i <= to; i++) t.push(i * t.timeframeMs, close, volume);
}

/**
 * z of a value one step `d` above a flat exponentially weighted baseline that has just taken that
 * value in: the mean moves by αd and the variance becomes α(1−α)d², so z = (1−α)d / √(α(1−α))·d.
 */
const oneStepZ = (alpha: number) => Math.sqrt((1 - alpha) / alpha);

describe('panic tracker: warm-up', () => {
  it('1-minute candles: volume z from the 181st candle, volatility z from the 240th (a 60-candle short window, three windows of baseline)', () => {
    const t = new PanicTracker(MIN);
    feed(t, 1, 180);
    expect(t.stress().volumeZ).toBeUndefined();
    feed(t, 181, 181);
    // Flat volume: no spread to measure against, so no deviation.
    expect(t.stress().volumeZ).toBe(0);
    feed(t, 182, 239);
    expect(t.stress().volatilityZ).toBeUndefined();
    feed(t, 240, 240);
    expect(t.stress().volatilityZ).toBe(0);
    expect(t.candlesSeen).toBe(240);
    expect(t.lastTs).toBe(240 * MIN);
  });

  it('daily candles: the short window is at least 5 candles, so volatility z appears at the 20th', () => {
    const t = new PanicTracker(DAY);
    feed(t, 1, 15);
    expect(t.stress().volumeZ).toBeUndefined();
    feed(t, 16, 19);
    expect(t.stress().volumeZ).toBe(0);
    expect(t.stress().volatilityZ).toBeUndefined();
    feed(t, 20, 20);
    expect(t.stress().volatilityZ).toBe(0);
  });
});

describe('panic tracker: z-scores against the exponentially weighted baselines', () => {
  it('daily candles: a volume jump after a flat month scores √((1−α)/α) with α = 2/(30 + 1)', () => {
    const t = new PanicTracker(DAY);
    feed(t, 1, 16, 100, 100);
    t.push(17 * DAY, 100, 200);
    // The baseline has seen only the flat volumes: no spread yet.
    expect(t.stress().volumeZ).toBe(0);
    t.push(18 * DAY, 100, 200);
    expect(t.stress().volumeZ).toBeCloseTo(oneStepZ(2 / 31), 9);
  });

  it('weekly candles: the baseline spans at least four short windows (20 candles), not 30 days (4 candles)', () => {
    const t = new PanicTracker(WEEK);
    feed(t, 1, 16, 100, 100);
    t.push(17 * WEEK, 100, 200);
    t.push(18 * WEEK, 100, 200);
    expect(t.stress().volumeZ).toBeCloseTo(oneStepZ(2 / 21), 9);
  });

  it('a missing (NaN) volume is left out of the baseline', () => {
    const t = new PanicTracker(DAY);
    feed(t, 1, 16, 100, 100);
    t.push(17 * DAY, 100, Number.NaN);
    t.push(18 * DAY, 100, 100);
    t.push(19 * DAY, 100, 200);
    t.push(20 * DAY, 100, 200);
    expect(t.stress().volumeZ).toBeCloseTo(oneStepZ(2 / 31), 9);
  });

  it('daily candles: a first move after a calm month, then a second one, against a 5-candle short window', () => {
    const t = new PanicTracker(DAY);
    feed(t, 1, 20);
    t.push(21 * DAY, 100 * Math.exp(0.1), 100);
    const alpha = 2 / 31;
    expect(t.stress().volatilityZ).toBeCloseTo(oneStepZ(alpha), 9);
    t.push(22 * DAY, 100 * Math.exp(0.2), 100);
    // Short window α = 2/(5 + 1) = 1/3 over squared returns: after two equal returns r its mean is
    // a(2 − a)r² against ar² after one, so the volatility rose by ρ = √(2 − a) (in units of the first).
    const a = 1 / 3;
    const rho = Math.sqrt(2 - a);
    const d = rho - alpha;
    const mean = alpha + alpha * d;
    const variance = (1 - alpha) * (alpha * (1 - alpha) + alpha * d * d);
    expect(t.stress().volatilityZ).toBeCloseTo((rho - mean) / Math.sqrt(variance), 9);
  });
});

describe('panic tracker: worst returns', () => {
  it('one candle has no return yet; two do', () => {
    const t = new PanicTracker(MIN);
    t.push(MIN, 100, 1);
    expect(t.stress()).toEqual({ worstReturn15m: undefined, worstReturn60m: undefined });
    t.push(2 * MIN, 90, 1);
    expect(t.stress().worstReturn15m).toBeCloseTo(-0.1, 12);
    expect(t.stress().worstReturn60m).toBeCloseTo(-0.1, 12);
  });

  it('a high exactly 15 (60) candles back counts for the 15-minute (60-minute) return; one candle older does not', () => {
    const t = new PanicTracker(MIN);
    t.push(0, 110, 1);
    feed(t, 1, 15, 100, 1);
    expect(t.stress().worstReturn15m).toBeCloseTo(100 / 110 - 1, 12);
    feed(t, 16, 16, 100, 1);
    expect(t.stress().worstReturn15m).toBe(0);
    feed(t, 17, 60, 100, 1);
    expect(t.stress().worstReturn60m).toBeCloseTo(100 / 110 - 1, 12);
    feed(t, 61, 61, 100, 1);
    expect(t.stress().worstReturn60m).toBe(0);
  });

  it('measures from the highest close in the window to the latest, not from the first', () => {
    const t = new PanicTracker(MIN);
    t.push(MIN, 100, 1);
    t.push(2 * MIN, 120, 1);
    t.push(3 * MIN, 108, 1);
    expect(t.stress().worstReturn15m).toBeCloseTo(108 / 120 - 1, 12);
  });
});

describe('panic tracker: what it ignores', () => {
  it('a candle not newer than the last one fed (a repeat or an older one)', () => {
    const t = new PanicTracker(MIN);
    t.push(5 * MIN, 100, 1);
    t.push(5 * MIN, 50, 1);
    t.push(4 * MIN, 50, 1);
    expect(t.candlesSeen).toBe(1);
    expect(t.lastTs).toBe(5 * MIN);
    t.push(6 * MIN, 100, 1);
    expect(t.stress().worstReturn15m).toBe(0);
  });

  it('a close that is not a positive price (0, negative, NaN)', () => {
    const t = new PanicTracker(MIN);
    t.push(MIN, 100, 1);
    t.push(2 * MIN, 0, 1);
    t.push(3 * MIN, -5, 1);
    t.push(4 * MIN, Number.NaN, 1);
    expect(t.candlesSeen).toBe(1);
    expect(t.lastTs).toBe(MIN);
    t.push(5 * MIN, 100, 1);
    expect(t.stress().worstReturn15m).toBe(0);
  });
});
