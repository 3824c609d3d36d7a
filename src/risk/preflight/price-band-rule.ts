import type { PreflightRule } from './rule.ts';

/** Fat-finger guard: a limit price far from the market is almost always a typo (entries only). */
export const priceBandRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || ctx.orderType !== 'limit') return undefined;
  const lp = ctx.limitPrice;
  if (lp === undefined || !Number.isFinite(lp) || lp <= 0) return { code: 'BAD_LIMIT_PRICE', message: 'a limit order needs a positive limit price' };
  const offPct = (Math.abs(lp - ctx.price) / ctx.price) * 100;
  return offPct > r.limits.priceBandPct
    ? { code: 'PRICE_BAND', message: `limit ${lp} is ${offPct.toFixed(2)}% from the last price ${ctx.price}; PRICE_BAND_PCT is ${r.limits.priceBandPct}` }
    : undefined;
};
