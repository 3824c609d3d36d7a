import { kellyFraction } from './kelly.ts';

/** Win rate and payoff of a strategy on a symbol, from live trades or the latest backtest. */
export interface TradeStats {
  source: 'live' | 'backtest' | 'none';
  trades: number;
  /** W, 0–1. */
  winRate: number;
  /** R = average win / average loss (Infinity when there was no loss, 0 when there was no win). */
  payoff: number;
}

export interface KellySizeInput {
  stats: TradeStats;
  /** KELLY_FRACTION (0.5 = half-Kelly). */
  multiplier: number;
  /** KELLY_MIN_TRADES. */
  minTrades: number;
  /** TARGET_VOLATILITY, annualised %; 0 = no scaling. */
  targetVolPct: number;
  /** Realised annualised volatility of the symbol, %; undefined when unknown (no scaling then). */
  realisedVolPct: number | undefined;
  /** KELLY_VOL_SCALE_CAP. */
  volScaleCap: number;
  /** MAX_POSITION_PCT. */
  maxPositionPct: number;
  /** ORDER_SIZE_PCT, the fixed fallback. */
  fallbackPct: number;
  equity: number;
  price: number;
}

export interface KellySize {
  /** f* before any scaling (may be negative). */
  rawKelly: number;
  volScale: number;
  /** Final fraction of equity, 0–maxPositionPct/100. */
  fraction: number;
  quote: number;
  base: number;
  fallback: boolean;
  capped: boolean;
  /** One sentence on how the size came about. */
  note: string;
}

/** Stats from trade P&Ls (any unit): W and R as the Kelly formula wants them. */
export function tradeStats(pnls: readonly number[], source: TradeStats['source']): TradeStats {
  let wins = 0;
  let losses = 0;
  let sumWin = 0;
  let sumLoss = 0;
  for (const p of pnls) {
    if (p > 0) {
      wins++;
      sumWin += p;
    } else if (p < 0) {
      losses++;
      sumLoss -= p;
    }
  }
  const n = pnls.length;
  const payoff = wins === 0 ? 0 : losses === 0 ? Infinity : sumWin / wins / (sumLoss / losses);
  return { source: n === 0 ? 'none' : source, trades: n, winRate: n > 0 ? wins / n : 0, payoff };
}

/**
 * Position size from the Kelly criterion: f* = W − (1 − W) / R, times KELLY_FRACTION, times the
 * volatility scale (target / realised, capped), capped at MAX_POSITION_PCT; 0 when f* ≤ 0; the fixed
 * ORDER_SIZE_PCT below KELLY_MIN_TRADES. With no losing trade R is infinite and f* = W: the estimate
 * is then only as good as the sample, which is why the cap and the minimum trade count exist.
 */
export function kellySize(i: KellySizeInput): KellySize {
  const cap = i.maxPositionPct / 100;
  const toSize = (fraction: number) => {
    const quote = Math.max(0, i.equity) * fraction;
    return { quote, base: i.price > 0 ? quote / i.price : 0 };
  };
  if (i.stats.trades < i.minTrades) {
    const fraction = Math.min(cap, i.fallbackPct / 100);
    return {
      rawKelly: Number.NaN, volScale: 1, fraction, ...toSize(fraction), fallback: true, capped: fraction < i.fallbackPct / 100,
      note: `${i.stats.trades} closed trade(s) (${i.stats.source}) is below KELLY_MIN_TRADES ${i.minTrades}: fixed ${i.fallbackPct}% of equity`,
    };
  }
  const raw = i.stats.payoff === Infinity ? i.stats.winRate : kellyFraction(i.stats.winRate, i.stats.payoff);
  const rawKelly = i.stats.winRate === 0 ? -Infinity : raw;
  const volScale =
    i.targetVolPct > 0 && i.realisedVolPct !== undefined && i.realisedVolPct > 0 ? Math.min(i.volScaleCap, i.targetVolPct / i.realisedVolPct) : 1;
  if (!(rawKelly > 0)) {
    return { rawKelly, volScale, fraction: 0, quote: 0, base: 0, fallback: false, capped: false, note: 'f* ≤ 0: the trades show no edge, so the size is 0' };
  }
  const scaled = rawKelly * i.multiplier * volScale;
  const fraction = Math.min(cap, scaled);
  return {
    rawKelly, volScale, fraction, ...toSize(fraction), fallback: false, capped: scaled > cap,
    note: scaled > cap ? `capped at MAX_POSITION_PCT ${i.maxPositionPct}%` : `f* × ${i.multiplier} × volatility scale ${volScale.toFixed(2)}`,
  };
}

/** Annualised volatility (%) of log returns of the last `lookback` closes, or undefined with too few. */
export function realisedVolatilityPct(close: ArrayLike<number>, timeframeMs: number, lookback = 500): number | undefined {
  const n = close.length;
  const start = Math.max(1, n - lookback);
  if (n - start < 10) return undefined;
  let sum = 0;
  let sum2 = 0;
  let k = 0;
  for (let i = start; i < n; i++) {
    const a = close[i - 1]!;
    const b = close[i]!;
    if (!(a > 0 && b > 0)) continue;
    const r = Math.log(b / a);
    sum += r;
    sum2 += r * r;
    k++;
  }
  if (k < 10) return undefined;
  const mean = sum / k;
  const variance = Math.max(0, sum2 / k - mean * mean) * (k / (k - 1));
  const perYear = (365 * 86_400_000) / timeframeMs;
  return Math.sqrt(variance * perYear) * 100;
}

/** The Kelly configuration (KELLY_*, TARGET_VOLATILITY, MAX_POSITION_PCT, ORDER_SIZE_PCT), the same for /size, the engine and backtests. */
export interface KellySettings {
  /** KELLY_LOOKBACK: closed trades the estimate is taken over. */
  lookback: number;
  /** KELLY_FRACTION. */
  multiplier: number;
  /** KELLY_MIN_TRADES. */
  minTrades: number;
  /** TARGET_VOLATILITY, annualised %; 0 = no scaling. */
  targetVolPct: number;
  /** KELLY_VOL_SCALE_CAP. */
  volScaleCap: number;
  /** MAX_POSITION_PCT. */
  maxPositionPct: number;
  /** ORDER_SIZE_PCT, the fallback below KELLY_MIN_TRADES. */
  fallbackPct: number;
}

/** The configuration's defaults (src/config-schema.ts). */
export const DEFAULT_KELLY_SETTINGS: KellySettings = Object.freeze({ lookback: 50, multiplier: 0.5, minTrades: 20, targetVolPct: 60, volScaleCap: 2, maxPositionPct: 25, fallbackPct: 10 });

/** {@link kellySize} from the settings: what `/size` shows and what `ORDER_SIZING=kelly` commits. */
export function kellySizeWith(s: KellySettings, stats: TradeStats, realisedVolPct: number | undefined, equity: number, price: number): KellySize {
  return kellySize({
    stats,
    multiplier: s.multiplier,
    minTrades: s.minTrades,
    targetVolPct: s.targetVolPct,
    realisedVolPct,
    volScaleCap: s.volScaleCap,
    maxPositionPct: s.maxPositionPct,
    fallbackPct: s.fallbackPct,
    equity,
    price,
  });
}

/** The fraction of equity one entry commits under Kelly sizing (equity and price do not change it). */
export function kellyFractionWith(s: KellySettings, stats: TradeStats, realisedVolPct: number | undefined): number {
  return kellySizeWith(s, stats, realisedVolPct, 0, 0).fraction;
}

/** Stats over the last `lookback` of `pnls` (oldest first, as a backtest collects them). */
export function recentTradeStats(pnls: readonly number[], lookback: number, source: TradeStats['source']): TradeStats {
  return tradeStats(pnls.length > lookback ? pnls.slice(pnls.length - lookback) : pnls, source);
}
