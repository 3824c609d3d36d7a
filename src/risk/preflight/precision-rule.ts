import { decimalsOf } from '../../domain/market.ts';
import type { PreflightRule } from './rule.ts';

function onStep(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const n = value / step;
  return Math.abs(n - Math.round(n)) <= 1e-6 * Math.max(1, Math.abs(n));
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
