/**
 * The equity curve pass's drawdowns are those of the textbook per-candle loop (a division per candle
 * in a drawdown, the deepest kept), bit for bit, whatever the pieces the curve is added in: the pass
 * keeps the episode's lowest equity instead and divides once per episode.
 */
import { describe, expect, it } from 'vitest';
import { EquityCurvePass } from '../../../src/backtest/curve-stats.ts';

const MIN = 60_000;

/** Drawdowns the plain way: depth 1 − e/peak on every candle below the peak. */
function reference(ts: Float64Array, equity: Float64Array, initial: number) {
  let peak = initial;
  let peakTs = ts[0]!;
  let max = 0;
  let maxDur = 0;
  let inDd = false;
  let depth = 0;
  let episodes = 0;
  let sumDepth = 0;
  let sumDur = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      if (inDd) {
        const dur = ts[i]! - peakTs;
        episodes++;
        sumDepth += depth;
        sumDur += dur;
        if (dur > maxDur) maxDur = dur;
        inDd = false;
      }
      peak = e;
      peakTs = ts[i]!;
    } else {
      const d = 1 - e / peak;
      if (!inDd) {
        inDd = true;
        depth = 0;
      }
      if (d > depth) depth = d;
      if (d > max) max = d;
    }
  }
  if (inDd) {
    const dur = ts[equity.length - 1]! - peakTs;
    episodes++;
    sumDepth += depth;
    sumDur += dur;
    if (dur > maxDur) maxDur = dur;
  }
  return { peak, max, maxDurationMs: maxDur, episodes, sumDepth, sumDurationMs: sumDur };
}

/** Seeded equity swinging around its start (many drawdowns), with flat stretches, NaNs (some opening an episode) and a drawdown open at the end. */
function curve(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = 10_000 * (1 + 0.03 * Math.sin(i / 40 + seed)) * (1 + (rnd() - 0.5) * 0.004);
  for (let i = 2000; i < 2100; i++) e[i] = e[1999]!; // flat at a level
  for (let i = 500; i < n; i += 997) e[i] = Number.NaN;
  e[4095] = Number.NaN; // across a 4,096 boundary
  for (let i = n - 500; i < n; i++) e[i] = e[i]! * 0.5; // ends in a drawdown
  return e;
}

describe('equity curve pass: drawdowns', () => {
  for (const seed of [1, 7, 42]) {
    const n = 9000;
    const ts = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * MIN);
    const eq = curve(n, seed);
    // A new high, then a NaN: an episode of depth 0 opened by a NaN, closed by the next high.
    eq[6000] = 20_000;
    eq[6001] = Number.NaN;
    eq[6002] = 20_001;
    const want = reference(ts, eq, 10_000);
    for (const piece of [1, 7, 4096, n]) {
      it(`seed ${seed}, added in pieces of ${piece}: the same drawdowns bit for bit`, () => {
        const pass = new EquityCurvePass(ts, eq, 10_000, 86_400_000, 0, n);
        for (let from = 0; from < n; from += piece) pass.add(from, Math.min(n, from + piece));
        const got = pass.result();
        expect(want.episodes).toBeGreaterThan(10);
        for (const k of ['peak', 'max', 'maxDurationMs', 'episodes', 'sumDepth', 'sumDurationMs'] as const) {
          expect(Object.is(got[k], want[k]), `${k}: ${got[k]} vs ${want[k]}`).toBe(true);
        }
      });
    }
  }

  it('a curve that never goes below its start has no drawdown; one below it from the first candle has one', () => {
    const ts = Float64Array.from({ length: 5 }, (_, i) => i * MIN);
    const up = new EquityCurvePass(ts, Float64Array.of(100, 101, 102, 102, 103), 100, 86_400_000, 0, 5);
    up.add(0, 5);
    expect(up.result()).toMatchObject({ max: 0, episodes: 0, sumDepth: 0 });
    const down = new EquityCurvePass(ts, Float64Array.of(90, 80, 85, 100, 99), 100, 86_400_000, 0, 5);
    down.add(0, 2);
    down.add(2, 5);
    expect(down.result()).toMatchObject({ max: 1 - 80 / 100, episodes: 2, sumDepth: 1 - 80 / 100 + (1 - 99 / 100), maxDurationMs: 3 * MIN });
  });
});
