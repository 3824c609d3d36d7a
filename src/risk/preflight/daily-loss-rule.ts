import type { PreflightRule } from './rule.ts';

/** Today's loss has reached the daily limit: no new risk until the next UTC day (entries only). */
export const dailyLossRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || !(r.snapshot.dayStartEquity > 0)) return undefined;
  const lossPct = ((r.snapshot.dayStartEquity - ctx.equity) / r.snapshot.dayStartEquity) * 100;
  return lossPct >= r.limits.dailyLossPct
    ? { code: 'DAILY_LOSS', message: `today's loss ${lossPct.toFixed(2)}% reached the daily limit ${r.limits.dailyLossPct}%` }
    : undefined;
};
