import type { Config } from '../config.ts';
import type { RiskSettings } from '../engine/risk-layer.ts';
import type { KellySettings } from '../risk/kelly-size.ts';
import type { BacktestRiskOptions } from '../backtest/backtest-risk.ts';

const MIN = 60_000;
const offWhenZero = (v: number) => (v > 0 ? v : Infinity);

/** The risk layer's limits and protections from the configuration ("Risk" group of the schema). */
export function riskSettingsFrom(c: Config): RiskSettings {
  return {
    limits: {
      maxPositionPct: c.MAX_POSITION_PCT,
      maxOrderNotional: offWhenZero(c.MAX_ORDER_NOTIONAL),
      maxOpenPositions: c.MAX_OPEN_POSITIONS,
      dailyLossPct: offWhenZero(c.DAILY_LOSS_PCT),
      maxDrawdownPct: offWhenZero(c.MAX_DRAWDOWN_PCT),
      maxOrdersPerMinute: c.MAX_ORDERS_PER_MINUTE,
      priceBandPct: c.PRICE_BAND_PCT,
      maxPriceAgeMs: c.MAX_PRICE_AGE * 1000,
      maxSpreadPct: c.MAX_SPREAD_PCT,
      panicThreshold: c.PANIC_THRESHOLD,
    },
    protections: {
      cooldownMs: c.COOLDOWN_MINUTES * MIN,
      stoplossGuardCount: c.STOPLOSS_GUARD,
      stoplossWindowMs: c.STOPLOSS_GUARD_WINDOW_MINUTES * MIN,
      stoplossLockMs: c.STOPLOSS_GUARD_LOCK_MINUTES * MIN,
      maxDrawdownPct: offWhenZero(c.MAX_DRAWDOWN_PCT),
      dailyLossPct: offWhenZero(c.DAILY_LOSS_PCT),
      dailyLossFlatten: c.DAILY_LOSS_FLATTEN,
    },
    panicAutoKill: c.PANIC_AUTO_KILL,
    factorMaxAgeMs: c.FACTOR_MAX_AGE * 1000,
  };
}

/** Kelly sizing from the configuration ("Sizing" group): /size, ORDER_SIZING=kelly and `backtest --sizing kelly`. */
export function kellySettingsFrom(c: Config): KellySettings {
  return {
    lookback: c.KELLY_LOOKBACK,
    multiplier: c.KELLY_FRACTION,
    minTrades: c.KELLY_MIN_TRADES,
    targetVolPct: c.TARGET_VOLATILITY,
    volScaleCap: c.KELLY_VOL_SCALE_CAP,
    maxPositionPct: c.MAX_POSITION_PCT,
    fallbackPct: c.ORDER_SIZE_PCT,
  };
}

/**
 * `backtest --risk`: the live limits and protections; the panic score gates entries at PANIC_THRESHOLD,
 * or with `panicGate = false` is only reported against it (what gating would have denied).
 */
export function backtestRiskFrom(c: Config, panicGate: boolean): BacktestRiskOptions {
  const { limits, protections } = riskSettingsFrom(c);
  return { limits: panicGate ? limits : { ...limits, panicThreshold: Infinity }, protections, panicReportThreshold: c.PANIC_THRESHOLD };
}
