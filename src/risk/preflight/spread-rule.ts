import type { PreflightRule } from './rule.ts';

/** A wide spread means thin liquidity: a market entry would pay it at once (entries only). */
export const spreadRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  const s = r?.snapshot.spreadPct;
  if (!r || ctx.kind !== 'entry' || s === undefined) return undefined;
  return s > r.limits.maxSpreadPct
    ? { code: 'SPREAD', message: `spread ${s.toFixed(3)}% is wider than MAX_SPREAD_PCT ${r.limits.maxSpreadPct}%` }
    : undefined;
};
