import type { PreflightRule } from './rule.ts';

/** Spot markets cannot short: selling coins you do not hold is refused by every venue anyway. */
export const shortRule: PreflightRule = (ctx) =>
  ctx.kind === 'entry' && ctx.side === 'short' && !ctx.allowShort
    ? { code: 'SHORT_NOT_ALLOWED', message: `shorting is not allowed on ${ctx.symbol} (${ctx.market.type} market or configuration)` }
    : undefined;
