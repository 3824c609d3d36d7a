/**
 * Seeded synthetic one-minute candles for benchmarks and precision tests: a reproducible random
 * walk that looks enough like a crypto pair (multiplicative steps, wicks, positive volumes) to
 * exercise every indicator. Deterministic across machines: mulberry32 integer arithmetic plus a
 * few IEEE-754 additions and multiplications, no transcendental functions.
 */
import { allocCandles, type Candles } from '../../src/domain/candles.ts';

/** Options of {@link syntheticCandles}; every field has a sensible default. */
export interface SyntheticCandleOptions {
  /** Open time of the first candle, UTC epoch ms (default 2024-01-01T00:00:00Z). */
  startTs?: number;
  /** Bar length in ms (default one minute). */
  stepMs?: number;
  /** First open (default 40,000, a BTC-like level). */
  startPrice?: number;
  /** Typical relative move per bar (default 0.0008 ≈ 0.08 %, BTC-like at 1 m). */
  volatility?: number;
  /** Typical volume per bar (default 12). */
  baseVolume?: number;
}

/** mulberry32: a tiny 32-bit PRNG with good statistical quality; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` contiguous candles from `seed`: the same (n, seed, options) always gives the same candles.
 * Each close is the previous close times (1 + volatility × z), z ≈ N(0, 1) (Irwin–Hall sum of four
 * uniforms, rescaled); open = previous close; wicks extend beyond the body; volume > 0.
 */
export function syntheticCandles(n: number, seed: number, options: SyntheticCandleOptions = {}): Candles {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`syntheticCandles: n must be a non-negative integer, got ${n}`);
  const startTs = options.startTs ?? Date.UTC(2024, 0, 1);
  const stepMs = options.stepMs ?? 60_000;
  const vol = options.volatility ?? 0.0008;
  const baseVolume = options.baseVolume ?? 12;
  const rand = mulberry32(seed);
  const c = allocCandles(n);
  let prevClose = options.startPrice ?? 40_000;
  // sqrt(3) rescales the Irwin–Hall sum of 4 uniforms (variance 1/3) to unit variance.
  const zScale = 1.7320508075688772;
  for (let i = 0; i < n; i++) {
    const z = (rand() + rand() + rand() + rand() - 2) * zScale;
    const open = prevClose;
    const close = open * (1 + vol * z);
    const top = open > close ? open : close;
    const bottom = open < close ? open : close;
    c.ts[i] = startTs + i * stepMs;
    c.open[i] = open;
    c.close[i] = close;
    c.high[i] = top * (1 + vol * 0.6 * rand());
    c.low[i] = bottom * (1 - vol * 0.6 * rand());
    const u = rand();
    c.volume[i] = baseVolume * (0.05 + 2 * u * u + Math.abs(z) * 0.5);
    prevClose = close;
  }
  return c;
}
