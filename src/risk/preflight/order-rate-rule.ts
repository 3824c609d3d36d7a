import type { PreflightRule } from './rule.ts';

/** A runaway loop is stopped by a rate cap before the venue bans the key (entries only). */
export const orderRateRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry') return undefined;
  return r.snapshot.ordersLastMinute >= r.limits.maxOrdersPerMinute
    ? { code: 'ORDER_RATE', message: `${r.snapshot.ordersLastMinute} orders in the last minute; MAX_ORDERS_PER_MINUTE is ${r.limits.maxOrdersPerMinute}` }
    : undefined;
};
