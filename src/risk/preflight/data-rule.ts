import type { PreflightRule } from './rule.ts';

/**
 * The one thing that stops even a reduce-only exit: without a usable price there is nothing to size,
 * value or sanity-check the order with.
 */
export const dataRule: PreflightRule = (ctx) =>
  Number.isFinite(ctx.price) && ctx.price > 0 ? undefined : { code: 'NO_PRICE', message: `no usable last price for ${ctx.symbol}` };
