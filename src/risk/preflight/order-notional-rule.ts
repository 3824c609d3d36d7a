import type { PreflightRule } from './rule.ts';

/** A hard ceiling on one order's value: a bug or a typo never becomes a huge order (entries only). */
export const orderNotionalRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry') return undefined;
  const notional = ctx.quantity * (ctx.limitPrice ?? ctx.price) * ctx.market.contractSize;
  return notional > r.limits.maxOrderNotional
    ? { code: 'MAX_ORDER_NOTIONAL', message: `order value ${notional.toFixed(2)} ${ctx.market.quote} is above MAX_ORDER_NOTIONAL ${r.limits.maxOrderNotional}` }
    : undefined;
};
