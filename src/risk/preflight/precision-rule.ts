import { decimalsOf } from '../../domain/market.ts';
import type { PreflightRule } from './rule.ts';

/**
 * Whole steps, allowing for the rounding of `value / step` only: a billionth of a step plus a few
 * thousand times the division's relative error (2⁻⁵³ ≈ 1e-16). A tolerance proportional to the step
 * count alone (1e-6 × n, as before) grew to whole steps: above ~500,000 steps anything passed.
 */
function onStep(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const n = value / step;
  return Math.abs(n - Math.round(n)) <= 1e-9 + 1e-12 * Math.abs(n);
}

/**
 * The amount must be a whole number of lot steps and a limit price a whole number of ticks: the venue
 * rejects anything else, and rejected orders still count against the rate limit (entries only).
 */
export const precisionRule: PreflightRule = (ctx) => {
  if (ctx.kind !== 'entry') return undefined;
  const m = ctx.market;
  if (Number.isFinite(ctx.quantity) && ctx.quantity > 0 && !onStep(ctx.quantity, m.amountStep)) {
    return { code: 'LOT_STEP', message: `${ctx.quantity} ${m.base} is not a multiple of the lot step ${m.amountStep}` };
  }
  if (ctx.orderType === 'limit' && ctx.limitPrice !== undefined && !onStep(ctx.limitPrice, m.priceStep)) {
    return { code: 'PRICE_PRECISION', message: `limit price ${ctx.limitPrice} has more than ${decimalsOf(m.priceStep)} decimals (tick ${m.priceStep})` };
  }
  return undefined;
};
