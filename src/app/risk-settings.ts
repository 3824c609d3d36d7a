import type { BacktestConfig } from '../config-backtest.ts';
import type { RiskSettings } from '../engine/risk-layer.ts';
import type { KellySettings } from '../risk/kelly-size.ts';
import type { BacktestRiskOptions } from '../backtest/backtest-risk.ts';

/**
 * The risk and sizing variables: the whole configuration (the bot) and the part a backtest reads
 * (src/config-backtest.ts) both carry them.
 */
type RiskVariables = Pick<
  BacktestConfig,
  | 'MAX_POSITION_PCT' | 'MAX_ORDER_NOTIONAL' | 'MAX_OPEN_POSITIONS' | 'DAILY_LOSS_PCT' | 'MAX_DRAWDOWN_PCT' | 'MAX_ORDERS_PER_MINUTE'
  | 'PRICE_BAND_PCT' | 'MAX_PRICE_AGE' | 'MAX_SPREAD_PCT' | 'PANIC_THRESHOLD' | 'COOLDOWN_MINUTES' | 'STOPLOSS_GUARD'
  | 'STOPLOSS_GUARD_WINDOW_MINUTES' | 'STOPLOSS_GUARD_LOCK_MINUTES' | 'DAILY_LOSS_FLATTEN' | 'PANIC_AUTO_KILL' | 'FACTOR_MAX_AGE'
>;
type KellyVariables = Pick<BacktestConfig, 'KELLY_LOOKBACK' | 'KELLY_FRACTION' | 'KELLY_MIN_TRADES' | 'TARGET_VOLATILITY' | 'KELLY_VOL_SCALE_CAP' | 'MAX_POSITION_PCT' | 'ORDER_SIZE_PCT'>;

const MIN = 60_000;
const offWhenZero = (v: number) => (v > 0 ? v : Infinity);

/** The risk layer's limits and protections from the configuration ("Risk" group of the schema). */
export function riskSettingsFrom(c: RiskVariables): RiskSettings {
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
export function kellySettingsFrom(c: KellyVariables): KellySettings {
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
export function backtestRiskFrom(c: RiskVariables, panicGate: boolean): BacktestRiskOptions {
  const { limits, protections } = riskSettingsFrom(c);
  return { limits: panicGate ? limits : { ...limits, panicThreshold: Infinity }, protections, panicReportThreshold: c.PANIC_THRESHOLD };
}
