import type { PreflightRule } from './rule.ts';

/**
 * Catch entries the venue would reject anyway, before anything is written or sent. Exits are never
 * blocked here: closing a position must stay possible even when it has shrunk below the minimum.
 */
export const sizeRule: PreflightRule = (ctx) => {
  if (ctx.kind === 'exit') return undefined;
  if (!(ctx.quantity > 0) || !Number.isFinite(ctx.quantity)) {
    return { code: 'ZERO_SIZE', message: `order size for ${ctx.symbol} rounds to zero at lot step ${ctx.market.amountStep}` };
  }
  if (ctx.quantity < ctx.market.minAmount) {
    return { code: 'BELOW_MIN_AMOUNT', message: `${ctx.quantity} ${ctx.market.base} is below the minimum ${ctx.market.minAmount}` };
  }
  const notional = ctx.quantity * ctx.price * ctx.market.contractSize;
  if (ctx.market.minNotional > 0 && notional < ctx.market.minNotional) {
    return { code: 'BELOW_MIN_NOTIONAL', message: `order value ${notional.toFixed(2)} ${ctx.market.quote} is below the minimum ${ctx.market.minNotional}` };
  }
  return undefined;
};
