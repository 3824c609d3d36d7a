import type { MarketStress } from './panic-tracker.ts';
import { panicLevel, type PanicLevelName } from './panic-levels.ts';

/** External factors as fed by the factor webhook (ports/external-factors.ts); each optional. */
export interface PanicFactors {
  /** Perpetual funding rate per 8 h, as a fraction (0.0001 = 0.01 %). */
  fundingRate?: number;
  /** Exchange on-chain netflow as a z-score (inflows to exchanges > 0 mean selling pressure). */
  netflowZ?: number;
  /** Fear & greed index, 0 (extreme fear) – 100 (extreme greed). */
  fearGreed?: number;
}

export interface PanicInputs {
  market?: MarketStress;
  /** Portfolio drawdown from its equity peak, %. */
  drawdownPct?: number;
  /** Current spread and its usual level, % of mid (only where an order book is available). */
  spreadPct?: number;
  spreadBaselinePct?: number;
  /** Age of the newest candle beyond its expected close, in timeframes (0 = on time). */
  stalenessTf?: number;
  /** Exchange errors per minute (recent) and the latest request latency, ms. */
  exchangeErrorsPerMin?: number;
  exchangeLatencyMs?: number;
  factors?: PanicFactors;
}

export interface PanicComponent {
  name: string;
  /** The raw figure, in the unit of `unit`. */
  raw: number;
  unit: string;
  /** Normalised 0–1 (1 = the component's panic point). */
  value: number;
  weight: number;
}

export interface PanicReading {
  score: number;
  level: PanicLevelName;
  components: PanicComponent[];
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * The documented composite (docs/risk.md): each available component is normalised to 0–1 at its
 * panic point and weighted; the score is 100 × Σ wᵢvᵢ / Σ wᵢ over the components present, so a missing
 * input (no order book, no factor feed) neither raises nor lowers the score.
 */
export const PANIC_WEIGHTS = {
  volatility: 0.2, // z-score 3 = 1
  return15m: 0.15, // −5 % = 1
  return60m: 0.15, // −10 % = 1
  drawdown: 0.15, // 20 % = 1
  volume: 0.1, // z-score 4 = 1
  spread: 0.05, // 5 × baseline = 1
  staleness: 0.05, // 4 timeframes late = 1
  exchange: 0.05, // 5 errors/min or 5 s latency = 1
  funding: 0.04, // |0.1 %| per 8 h = 1
  netflow: 0.03, // z-score 3 = 1
  fearGreed: 0.03, // 0 (extreme fear) = 1, 50 and above = 0
} as const;

export function panicScore(i: PanicInputs): PanicReading {
  const c: PanicComponent[] = [];
  const add = (name: keyof typeof PANIC_WEIGHTS, raw: number | undefined, unit: string, value: (r: number) => number) => {
    if (raw === undefined || !Number.isFinite(raw)) return;
    c.push({ name, raw, unit, value: clamp01(value(raw)), weight: PANIC_WEIGHTS[name] });
  };
  const m = i.market;
  add('volatility', m?.volatilityZ, 'z', (z) => z / 3);
  add('return15m', m?.worstReturn15m === undefined ? undefined : m.worstReturn15m * 100, '%', (r) => -r / 5);
  add('return60m', m?.worstReturn60m === undefined ? undefined : m.worstReturn60m * 100, '%', (r) => -r / 10);
  add('drawdown', i.drawdownPct, '%', (d) => d / 20);
  add('volume', m?.volumeZ, 'z', (z) => z / 4);
  if (i.spreadPct !== undefined && i.spreadBaselinePct !== undefined && i.spreadBaselinePct > 0) {
    add('spread', i.spreadPct / i.spreadBaselinePct, '× baseline', (x) => (x - 1) / 4);
  }
  add('staleness', i.stalenessTf, 'timeframes late', (t) => t / 4);
  if (i.exchangeErrorsPerMin !== undefined || i.exchangeLatencyMs !== undefined) {
    const e = clamp01((i.exchangeErrorsPerMin ?? 0) / 5);
    const l = clamp01(((i.exchangeLatencyMs ?? 0) - 500) / 4500);
    add('exchange', Math.max(e, l), '0–1', (x) => x);
  }
  add('funding', i.factors?.fundingRate === undefined ? undefined : i.factors.fundingRate * 100, '% / 8 h', (f) => Math.abs(f) / 0.1);
  add('netflow', i.factors?.netflowZ, 'z', (z) => z / 3);
  add('fearGreed', i.factors?.fearGreed, 'index', (g) => (50 - g) / 50);
  const wsum = c.reduce((s, x) => s + x.weight, 0);
  const score = wsum > 0 ? (100 * c.reduce((s, x) => s + x.weight * x.value, 0)) / wsum : 0;
  return { score, level: panicLevel(score), components: c };
}

/** The portfolio's market stress: the worst of each component across symbols. */
export function worstStress(all: readonly MarketStress[]): MarketStress {
  const pick = (f: (s: MarketStress) => number | undefined, worse: (a: number, b: number) => number) => {
    let out: number | undefined;
    for (const s of all) {
      const v = f(s);
      if (v !== undefined) out = out === undefined ? v : worse(out, v);
    }
    return out;
  };
  return {
    volatilityZ: pick((s) => s.volatilityZ, Math.max),
    volumeZ: pick((s) => s.volumeZ, Math.max),
    worstReturn15m: pick((s) => s.worstReturn15m, Math.min),
    worstReturn60m: pick((s) => s.worstReturn60m, Math.min),
  };
}
