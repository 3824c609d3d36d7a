import type { PreflightRule } from './rule.ts';

/** Concentration: one symbol may not hold more than MAX_POSITION_PCT of equity after the order. */
export const maxPositionRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || !Number.isFinite(r.limits.maxPositionPct)) return undefined;
  const held = Math.abs(ctx.position?.quantity ?? 0);
  const value = (held + ctx.quantity) * ctx.price * ctx.market.contractSize;
  const cap = (ctx.equity * r.limits.maxPositionPct) / 100;
  return value > cap
    ? { code: 'MAX_POSITION', message: `position would be ${value.toFixed(2)} ${ctx.market.quote}, above ${r.limits.maxPositionPct}% of equity (${cap.toFixed(2)})` }
    : undefined;
};
