import type { Config } from '../config.ts';
import type { RiskSettings } from '../engine/risk-layer.ts';

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
