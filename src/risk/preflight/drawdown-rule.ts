import type { PreflightRule } from './rule.ts';

/** Equity is too far below its peak: stop adding risk (entries only). */
export const drawdownRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || !(r.snapshot.peakEquity > 0)) return undefined;
  const ddPct = ((r.snapshot.peakEquity - ctx.equity) / r.snapshot.peakEquity) * 100;
  return ddPct >= r.limits.maxDrawdownPct
    ? { code: 'MAX_DRAWDOWN', message: `drawdown ${ddPct.toFixed(2)}% from the peak reached the limit ${r.limits.maxDrawdownPct}%` }
    : undefined;
};
