import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { panicLevel } from '../../../src/risk/panic/panic-levels.ts';
import { PANIC_WEIGHTS, panicScore, worstStress } from '../../../src/risk/panic/panic-score.ts';
import { PanicTracker } from '../../../src/risk/panic/panic-tracker.ts';

const MIN = 60_000;

/** A calm random walk (seeded), then optionally a crash: −1.2 % a minute for 12 minutes on 8× volume. */
function series(n: number, crashAt?: number): Array<{ ts: number; close: number; volume: number }> {
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const out: Array<{ ts: number; close: number; volume: number }> = [];
  let p = 40_000;
  for (let i = 0; i < n; i++) {
    const crashing = crashAt !== undefined && i >= crashAt && i < crashAt + 12;
    p *= crashing ? 0.988 : 1 + rnd() * 0.001;
    out.push({ ts: i * MIN, close: p, volume: (crashing ? 8 : 1) * (100 + rnd() * 20) });
  }
  return out;
}

function run(candles: Array<{ ts: number; close: number; volume: number }>, everyN = 1): number[] {
  const t = new PanicTracker(MIN);
  const scores: number[] = [];
  candles.forEach((c, i) => {
    t.push(c.ts, c.close, c.volume);
    if (i % everyN === 0) scores.push(panicScore({ market: t.stress() }).score);
  });
  return scores;
}

describe('panic score', () => {
  it('levels: calm < 40 ≤ elevated < 60 ≤ high < 80 ≤ extreme', () => {
    expect([0, 39.99, 40, 59.99, 60, 79.99, 80, 100].map(panicLevel)).toEqual(['calm', 'calm', 'elevated', 'elevated', 'high', 'high', 'extreme', 'extreme']);
  });

  it('a calm market scores low', () => {
    const s = run(series(3000));
    expect(Math.max(...s.slice(500))).toBeLessThan(40);
  });

  it('a crash scores high within minutes', () => {
    const s = run(series(3000, 2500));
    expect(Math.max(...s.slice(500, 2500))).toBeLessThan(40);
    expect(s[2511]!).toBeGreaterThanOrEqual(60);
    const r = panicScore({ market: (() => { const t = new PanicTracker(MIN); for (const c of series(2512, 2500)) t.push(c.ts, c.close, c.volume); return t.stress(); })() });
    expect(r.components.find((c) => c.name === 'return15m')!.value).toBe(1);
  });

  it('missing inputs drop out; drawdown, staleness, exchange errors and factors raise it', () => {
    expect(panicScore({}).score).toBe(0);
    expect(panicScore({ drawdownPct: 20 }).score).toBe(100);
    expect(panicScore({ drawdownPct: 10 }).score).toBeCloseTo(50);
    const all = panicScore({ drawdownPct: 0, stalenessTf: 4, exchangeErrorsPerMin: 0, exchangeLatencyMs: 5000, factors: { fundingRate: -0.001, netflowZ: 3, fearGreed: 0 } });
    expect(all.components.map((c) => c.name)).toEqual(['drawdown', 'staleness', 'exchange', 'funding', 'netflow', 'fearGreed']);
    expect(all.components.every((c) => c.name === 'drawdown' ? c.value === 0 : c.value === 1)).toBe(true);
    expect(panicScore({ spreadPct: 0.5, spreadBaselinePct: 0.1 }).components[0]).toMatchObject({ name: 'spread', raw: 5, value: 1 });
  });

  it('the portfolio takes the worst of each component across symbols', () => {
    expect(worstStress([{ volatilityZ: 1, worstReturn15m: -0.01 }, { volatilityZ: 2.5, worstReturn15m: -0.002, volumeZ: 1 }])).toEqual({ volatilityZ: 2.5, volumeZ: 1, worstReturn15m: -0.01, worstReturn60m: undefined });
  });

  it('on real BTC 1-minute candles of January 2022: mostly calm, high in the 21–24 January sell-off', () => {
    // tests/fixtures/candles/ATTRIBUTION.md: nautilus_trader test data, LGPL-3.0.
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/candles/btc-perp-20211231-20220201_1m.csv'), 'utf8');
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(','));
    const candles = rows.map((r) => ({ ts: Date.parse(`${r[0]!.slice(0, 19).replace(' ', 'T')}Z`), close: Number(r[4]), volume: Number(r[5]) }));
    const t = new PanicTracker(MIN);
    const byDay = new Map<string, number>();
    const all: number[] = [];
    for (const c of candles) {
      t.push(c.ts, c.close, c.volume);
      if (t.candlesSeen < 1440) continue;
      const s = panicScore({ market: t.stress() }).score;
      all.push(s);
      const day = new Date(c.ts).toISOString().slice(0, 10);
      byDay.set(day, Math.max(byDay.get(day) ?? 0, s));
    }
    all.sort((a, b) => a - b);
    expect(all[Math.floor(all.length / 2)]!).toBeLessThan(40); // the median minute is calm
    const worstDay = [...byDay.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(['2022-01-21', '2022-01-22', '2022-01-24']).toContain(worstDay[0]);
    expect(worstDay[1]).toBeGreaterThanOrEqual(60);
  });
});

describe('panic score: each component as /panic lists it (name, raw figure and unit, value, weight)', () => {
  it('every component halfway to its panic point scores 50', () => {
    const r = panicScore({
      market: { volatilityZ: 1.5, worstReturn15m: -0.025, worstReturn60m: -0.05, volumeZ: 2 },
      drawdownPct: 10,
      spreadPct: 0.3,
      spreadBaselinePct: 0.1,
      stalenessTf: 2,
      exchangeErrorsPerMin: 2.5,
      exchangeLatencyMs: 1400,
      factors: { fundingRate: 0.0005, netflowZ: 1.5, fearGreed: 25 },
    });
    const w = PANIC_WEIGHTS;
    expect(r.components.map((c) => ({ ...c, raw: Number(c.raw.toFixed(12)), value: Number(c.value.toFixed(12)) }))).toEqual([
      { name: 'volatility', raw: 1.5, unit: 'z', value: 0.5, weight: w.volatility },
      { name: 'return15m', raw: -2.5, unit: '%', value: 0.5, weight: w.return15m },
      { name: 'return60m', raw: -5, unit: '%', value: 0.5, weight: w.return60m },
      { name: 'drawdown', raw: 10, unit: '%', value: 0.5, weight: w.drawdown },
      { name: 'volume', raw: 2, unit: 'z', value: 0.5, weight: w.volume },
      { name: 'spread', raw: 3, unit: '× baseline', value: 0.5, weight: w.spread },
      { name: 'staleness', raw: 2, unit: 'timeframes late', value: 0.5, weight: w.staleness },
      // errors 2.5/min of 5 = 0.5; latency (1400 − 500) / 4500 = 0.2: the worse one
      { name: 'exchange', raw: 0.5, unit: '0–1', value: 0.5, weight: w.exchange },
      { name: 'funding', raw: 0.05, unit: '% / 8 h', value: 0.5, weight: w.funding },
      { name: 'netflow', raw: 1.5, unit: 'z', value: 0.5, weight: w.netflow },
      { name: 'fearGreed', raw: 25, unit: 'index', value: 0.5, weight: w.fearGreed },
    ]);
    expect(r.score).toBeCloseTo(50, 9);
    expect(r.level).toBe('elevated');
  });

  it('exchange health from either figure alone: latency 2,750 ms is halfway, errors alone count too', () => {
    expect(panicScore({ exchangeLatencyMs: 2750 }).components).toEqual([{ name: 'exchange', raw: 0.5, unit: '0–1', value: 0.5, weight: PANIC_WEIGHTS.exchange }]);
    expect(panicScore({ exchangeErrorsPerMin: 1 }).components[0]).toMatchObject({ name: 'exchange', value: 0.2 });
    expect(panicScore({ exchangeErrorsPerMin: 1, exchangeLatencyMs: 500 }).components[0]).toMatchObject({ name: 'exchange', value: 0.2 });
  });

  it('inputs that are not finite numbers drop out instead of counting as 0', () => {
    const r = panicScore({ drawdownPct: Number.NaN, stalenessTf: Infinity, market: { volatilityZ: Number.NaN } });
    expect(r.components).toEqual([]);
    expect(r.score).toBe(0);
  });

  it('spread only against a positive baseline', () => {
    expect(panicScore({ spreadPct: 0.3, spreadBaselinePct: -0.1 }).components).toEqual([]);
    expect(panicScore({ spreadPct: 0.3, spreadBaselinePct: 0 }).components).toEqual([]);
    expect(panicScore({ spreadPct: 0.3 }).components).toEqual([]);
  });

  it('the portfolio stress skips symbols where a component is unknown, whichever comes first', () => {
    expect(worstStress([{ volatilityZ: 1, volumeZ: 2, worstReturn15m: -0.01, worstReturn60m: -0.03 }, {}])).toEqual({ volatilityZ: 1, volumeZ: 2, worstReturn15m: -0.01, worstReturn60m: -0.03 });
    expect(worstStress([{ worstReturn60m: -0.03 }, { worstReturn60m: -0.08 }, { worstReturn60m: -0.01 }]).worstReturn60m).toBe(-0.08);
    expect(worstStress([])).toEqual({ volatilityZ: undefined, volumeZ: undefined, worstReturn15m: undefined, worstReturn60m: undefined });
  });
});
