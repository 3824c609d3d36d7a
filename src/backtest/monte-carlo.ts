import { Prng } from '../adapters/exchange/sim/prng.ts';
import { AppError } from '../domain/errors.ts';

export interface Percentiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface MonteCarloResult {
  runs: number;
  trades: number;
  finalEquity: Percentiles;
  /** Max drawdown of each simulated path, % (≤ 0). */
  maxDrawdownPct: Percentiles;
  /** Share of paths that end below the initial equity, %. */
  lossProbabilityPct: number;
}

/**
 * Bootstrap of the trade sequence: each trade becomes a return on the equity it was taken with
 * (pnl / closed-trade equity before it); `runs` paths of the same number of trades are drawn with
 * replacement and compounded from `initial`. Percentiles of the final equity and of the max
 * drawdown (on closed-trade equity) show how much of the result was the order of the trades.
 * Seeded: the same inputs give the same figures.
 */
export function monteCarlo(trades: ReadonlyArray<{ pnl: number }>, initial: number, runs: number, seed = 1): MonteCarloResult {
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 1_000_000)) throw new AppError('BAD_REQUEST', `--monte-carlo needs a whole number of runs from 1 to 1,000,000, got ${runs}`);
  const n = trades.length;
  if (n === 0) throw new AppError('BAD_REQUEST', 'Monte Carlo needs at least one trade; this run made none');
  const r = new Float64Array(n);
  let eq = initial;
  for (let i = 0; i < n; i++) {
    r[i] = eq > 0 ? trades[i]!.pnl / eq : 0;
    eq += trades[i]!.pnl;
  }
  const finals = new Float64Array(runs);
  const dds = new Float64Array(runs);
  const rng = new Prng(seed);
  let losses = 0;
  for (let k = 0; k < runs; k++) {
    let e = initial;
    let peak = initial;
    let maxDd = 0;
    for (let t = 0; t < n; t++) {
      e *= 1 + r[Math.floor(rng.next() * n)]!;
      if (e > peak) peak = e;
      const dd = peak > 0 ? 1 - e / peak : 0;
      if (dd > maxDd) maxDd = dd;
    }
    finals[k] = e;
    dds[k] = -maxDd * 100;
    if (e < initial) losses++;
  }
  return { runs, trades: n, finalEquity: percentiles(finals), maxDrawdownPct: percentiles(dds), lossProbabilityPct: (losses / runs) * 100 };
}

/** Linear-interpolation percentiles (numpy's default) of a sample; sorts it in place. */
export function percentiles(x: Float64Array): Percentiles {
  x.sort();
  const at = (q: number) => {
    const pos = (x.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return x[lo]! + (x[hi]! - x[lo]!) * (pos - lo);
  };
  return { p5: at(0.05), p25: at(0.25), p50: at(0.5), p75: at(0.75), p95: at(0.95) };
}
