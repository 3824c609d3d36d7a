import type { PreflightRule } from './rule.ts';

/** A market order priced off an old quote can fill anywhere: it needs a fresh last price (entries only). */
export const priceAgeRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || (ctx.orderType ?? 'market') !== 'market' || !Number.isFinite(r.limits.maxPriceAgeMs)) return undefined;
  const ts = r.snapshot.priceTs;
  if (ts === undefined) return { code: 'PRICE_STALE', message: `the age of the last price of ${ctx.symbol} is unknown` };
  const age = r.snapshot.now - ts;
  return age > r.limits.maxPriceAgeMs
    ? { code: 'PRICE_STALE', message: `last price of ${ctx.symbol} is ${Math.round(age / 1000)} s old; MAX_PRICE_AGE is ${Math.round(r.limits.maxPriceAgeMs / 1000)} s` }
    : undefined;
};
