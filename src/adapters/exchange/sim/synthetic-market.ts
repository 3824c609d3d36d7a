import type { CandleRow } from '../../../domain/candles.ts';
import type { CandleSource } from './candle-source.ts';
import { hashSeed, Prng } from './prng.ts';

const YEAR_MS = 365 * 86_400_000;
/** Candles per chunk: the unit of lazy generation and caching. */
export const CHUNK = 2048;
/** Chunks of candle data kept per symbol (older ones are regenerated from checkpoints on demand). */
const CACHE_CHUNKS = 6;

/** Model constants, per candle unless said otherwise. */
const ANNUAL_VOL = 0.6; // crypto-like
const GARCH_ALPHA = 0.07;
const GARCH_BETA = 0.91;
/** Expected number of crashes per 10,000 candles, and their size (fraction) and length (candles). */
const CRASHES_PER_10K = 2;
const CRASH_MIN = 0.03;
const CRASH_MAX = 0.12;
const CRASH_LEN_MIN = 2;
const CRASH_LEN_MAX = 8;
/** sqrt(E[k²]) of the fat-tail mixture: 0.95 × 1² + 0.05 × 2.5². */
const FAT_TAIL_NORM = Math.sqrt(0.95 + 0.05 * 6.25);
/** Pull of the log price towards its start so long runs stay in a plausible range. */
const MEAN_REVERSION = 2e-5;
/** Typical quote volume traded per minute (USDT), scaled by the timeframe. */
const QUOTE_VOLUME_PER_MIN_BTC = 1_500_000;
const QUOTE_VOLUME_PER_MIN_OTHER = 150_000;

export interface SyntheticSeriesOptions {
  seed: number;
  symbol: string;
  timeframeMs: number;
  /** Open time of candle 0 (UTC ms). */
  startTs: number;
  basePrice: number;
  /** Tick size: prices are published rounded to it, as a venue's candles are (0 = no rounding). */
  priceStep?: number;
}

interface ChunkData {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * A seeded synthetic market for one symbol: log returns with GARCH(1,1) volatility clusters,
 * occasional sharp drops spread over a few candles (and rarer squeezes up), intrabar wicks that grow
 * with volatility, and volume that rises with volatility and with the size of the move.
 *
 * Deterministic per (seed, symbol): each chunk of {@link CHUNK} candles draws from its own generator
 * seeded with (seed, symbol, chunk) and starts from the model state at the end of the previous chunk
 * (kept as a checkpoint: five numbers per chunk). So any candle can be produced again later without
 * keeping the series: memory is the checkpoints plus a few cached chunks, whatever the run length.
 */
export class SyntheticSeries implements CandleSource {
  readonly length = Infinity;
  private readonly tf: number;
  private readonly sigma: number;
  private readonly targetVar: number;
  private readonly logP0: number;
  private readonly baseVolume: number;
  private readonly seedHash: number;
  /** Checkpoint per chunk start: logPrice, variance, last shock, crash candles left, crash step. */
  private checkpoints: Float64Array = new Float64Array(5 * 64);
  private checkpointCount = 0;
  private readonly cache = new Map<number, ChunkData>();

  constructor(private readonly o: SyntheticSeriesOptions) {
    this.tf = o.timeframeMs;
    this.sigma = ANNUAL_VOL * Math.sqrt(o.timeframeMs / YEAR_MS);
    this.targetVar = this.sigma * this.sigma;
    this.logP0 = Math.log(o.basePrice);
    const quotePerMin = o.basePrice >= 10_000 ? QUOTE_VOLUME_PER_MIN_BTC : QUOTE_VOLUME_PER_MIN_OTHER;
    this.baseVolume = (quotePerMin * (o.timeframeMs / 60_000)) / o.basePrice;
    this.seedHash = hashSeed(o.seed, o.symbol);
    this.setCheckpoint(0, this.logP0, this.targetVar, 0, 0, 0);
  }

  tsOf(k: number): number {
    return this.o.startTs + k * this.tf;
  }

  row(k: number, out: CandleRow): void {
    const chunk = this.chunk(Math.floor(k / CHUNK));
    const j = k - Math.floor(k / CHUNK) * CHUNK;
    const tick = this.o.priceStep ?? 0;
    out.ts = this.tsOf(k);
    out.open = tick > 0 ? roundTick(chunk.open[j]!, tick) : chunk.open[j]!;
    out.high = tick > 0 ? roundTick(chunk.high[j]!, tick) : chunk.high[j]!;
    out.low = tick > 0 ? roundTick(chunk.low[j]!, tick) : chunk.low[j]!;
    out.close = tick > 0 ? roundTick(chunk.close[j]!, tick) : chunk.close[j]!;
    out.volume = chunk.volume[j]!;
  }

  private chunk(c: number): ChunkData {
    const hit = this.cache.get(c);
    if (hit) {
      // Refresh recency (Map keeps insertion order).
      this.cache.delete(c);
      this.cache.set(c, hit);
      return hit;
    }
    // Checkpoints are produced in order: generate any missing chunk before c once.
    for (let p = this.checkpointCount - 1; p < c; p++) this.generate(p);
    const data = this.generate(c);
    this.cache.set(c, data);
    if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
    return data;
  }

  private setCheckpoint(c: number, logP: number, v: number, eps: number, crashLeft: number, crashStep: number): void {
    if (5 * (c + 1) > this.checkpoints.length) {
      const grown = new Float64Array(this.checkpoints.length * 2);
      grown.set(this.checkpoints);
      this.checkpoints = grown;
    }
    const b = 5 * c;
    this.checkpoints[b] = logP;
    this.checkpoints[b + 1] = v;
    this.checkpoints[b + 2] = eps;
    this.checkpoints[b + 3] = crashLeft;
    this.checkpoints[b + 4] = crashStep;
    if (c + 1 > this.checkpointCount) this.checkpointCount = c + 1;
  }

  /** Generate chunk c from its checkpoint and record the checkpoint of chunk c + 1. */
  private generate(c: number): ChunkData {
    const b = 5 * c;
    let logP = this.checkpoints[b]!;
    let v = this.checkpoints[b + 1]!;
    let eps = this.checkpoints[b + 2]!;
    let crashLeft = this.checkpoints[b + 3]!;
    let crashStep = this.checkpoints[b + 4]!;
    const rng = new Prng(hashSeed(this.seedHash, `chunk:${c}`));
    const d: ChunkData = {
      open: new Float64Array(CHUNK),
      high: new Float64Array(CHUNK),
      low: new Float64Array(CHUNK),
      close: new Float64Array(CHUNK),
      volume: new Float64Array(CHUNK),
    };
    const omega = this.targetVar * (1 - GARCH_ALPHA - GARCH_BETA);
    const crashP = CRASHES_PER_10K / 10_000;
    for (let j = 0; j < CHUNK; j++) {
      v = omega + GARCH_ALPHA * eps * eps + GARCH_BETA * v;
      // Cap the variance so a run of shocks cannot explode the model.
      if (v > 100 * this.targetVar) v = 100 * this.targetVar;
      const sd = Math.sqrt(v);
      // Fat tails: a normal scaled by 2.5 one time in 20 (a cheap Student-t stand-in), rescaled to unit
      // variance — GARCH's long-run variance is the target only if E[z²] = 1.
      const z = (rng.normal() * (rng.next() < 0.05 ? 2.5 : 1)) / FAT_TAIL_NORM;
      eps = sd * z;
      let r = eps - MEAN_REVERSION * (logP - this.logP0);
      if (crashLeft <= 0 && rng.next() < crashP) {
        const size = CRASH_MIN + (CRASH_MAX - CRASH_MIN) * rng.next();
        const len = CRASH_LEN_MIN + Math.floor((CRASH_LEN_MAX - CRASH_LEN_MIN + 1) * rng.next());
        // Three drops for every squeeze up.
        const dir = rng.next() < 0.75 ? -1 : 1;
        crashLeft = len;
        crashStep = (dir * Math.log(1 + size)) / len;
      }
      if (crashLeft > 0) {
        r += crashStep;
        crashLeft--;
        // A crash starts a volatility cluster: variance at least 9× normal (3× the volatility), then
        // GARCH lets it decay. (Feeding the whole drop into the shock would blow the variance up.)
        if (v < 9 * this.targetVar) v = 9 * this.targetVar;
      }
      const open = Math.exp(logP);
      logP += r;
      const close = Math.exp(logP);
      const wickUp = Math.abs(rng.normal()) * sd * 0.6;
      const wickDown = Math.abs(rng.normal()) * sd * 0.6;
      d.open[j] = open;
      d.close[j] = close;
      d.high[j] = Math.max(open, close) * Math.exp(wickUp);
      d.low[j] = Math.min(open, close) * Math.exp(-wickDown);
      const activity = Math.pow(sd / this.sigma, 1.2) * (1 + (2 * Math.abs(r)) / this.sigma);
      d.volume[j] = this.baseVolume * 0.5 * activity * Math.exp(0.35 * rng.normal());
    }
    this.setCheckpoint(c + 1, logP, v, eps, crashLeft, crashStep);
    return d;
  }
}

/** Round to the tick without float dust (no string formatting: this runs per candle). */
function roundTick(value: number, tick: number): number {
  const inv = 1 / tick;
  // Ticks are 10^-n here, so multiplying by the integer inverse is exact enough and cheap.
  return Number.isInteger(inv) ? Math.round(value * inv) / inv : Math.round(value / tick) * tick;
}
