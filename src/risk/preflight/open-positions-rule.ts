import type { PreflightRule } from './rule.ts';

/** Diversification cap: a new symbol may not be opened when MAX_OPEN_POSITIONS are already held. */
export const openPositionsRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || ctx.position) return undefined;
  return r.snapshot.openPositions >= r.limits.maxOpenPositions
    ? { code: 'MAX_OPEN_POSITIONS', message: `${r.snapshot.openPositions} positions are open; the limit is ${r.limits.maxOpenPositions}` }
    : undefined;
};
