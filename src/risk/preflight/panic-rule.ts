import type { PreflightRule } from './rule.ts';

/** A market in panic is no place for a new position; exits stay open (entries only). */
export const panicRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || r.snapshot.panicScore === undefined) return undefined;
  return r.snapshot.panicScore >= r.limits.panicThreshold
    ? { code: 'PANIC', message: `panic score ${r.snapshot.panicScore.toFixed(0)} ≥ threshold ${r.limits.panicThreshold}` }
    : undefined;
};
