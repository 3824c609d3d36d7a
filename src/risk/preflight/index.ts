import { dailyLossRule } from './daily-loss-rule.ts';
import { dataRule } from './data-rule.ts';
import { drawdownRule } from './drawdown-rule.ts';
import { duplicateIntentRule } from './duplicate-intent-rule.ts';
import { fundsRule } from './funds-rule.ts';
import { maxPositionRule } from './max-position-rule.ts';
import { openPositionsRule } from './open-positions-rule.ts';
import { orderNotionalRule } from './order-notional-rule.ts';
import { orderRateRule } from './order-rate-rule.ts';
import { panicRule } from './panic-rule.ts';
import { positionRule } from './position-rule.ts';
import { precisionRule } from './precision-rule.ts';
import { priceAgeRule } from './price-age-rule.ts';
import { priceBandRule } from './price-band-rule.ts';
import { protectionLockRule } from './protection-lock-rule.ts';
import type { Denial, PreflightContext, PreflightRule } from './rule.ts';
import { shortRule } from './short-rule.ts';
import { sizeRule } from './size-rule.ts';
import { spreadRule } from './spread-rule.ts';
import { tradingStateRule } from './trading-state-rule.ts';

export type { Denial, IntentSource, PreflightContext, PreflightRule } from './rule.ts';

/**
 * The default chain, cheapest and most fundamental first. Rules that judge against limits read
 * `ctx.risk` and pass when it is absent; exits are judged only by state, data and position rules
 * (a reduce-only exit is always allowed unless the data to send it is missing).
 */
export const DEFAULT_PREFLIGHT: readonly PreflightRule[] = [
  tradingStateRule,
  dataRule,
  positionRule,
  shortRule,
  protectionLockRule,
  panicRule,
  dailyLossRule,
  drawdownRule,
  orderRateRule,
  duplicateIntentRule,
  sizeRule,
  precisionRule,
  priceBandRule,
  priceAgeRule,
  spreadRule,
  orderNotionalRule,
  maxPositionRule,
  openPositionsRule,
  fundsRule,
];

/** Run every rule; all denials are returned (a person sees every reason at once). */
export function runPreflight(ctx: PreflightContext, rules: readonly PreflightRule[] = DEFAULT_PREFLIGHT): Denial[] {
  const out: Denial[] = [];
  for (const rule of rules) {
    const d = rule(ctx);
    if (d) out.push(d);
  }
  return out;
}
