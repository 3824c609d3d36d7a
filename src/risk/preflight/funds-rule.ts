import type { PreflightRule } from './rule.ts';

/** An entry may not commit more quote currency than is available (fees included, 0.5 % margin). */
export const fundsRule: PreflightRule = (ctx) => {
  if (ctx.kind !== 'entry') return undefined;
  const needed = ctx.quantity * (ctx.limitPrice ?? ctx.price) * ctx.market.contractSize * (1 + ctx.market.takerFee);
  if (needed > ctx.available * 1.005) {
    return { code: 'INSUFFICIENT_FUNDS', message: `needs ${needed.toFixed(2)} ${ctx.market.quote}, available ${ctx.available.toFixed(2)}` };
  }
  return undefined;
};
