import { createHash } from 'node:crypto';
import type { PreflightContext } from './preflight/rule.ts';

/**
 * sha256 of exactly what a verdict was decided on (order, account, limits, market facts), in a fixed
 * key order: a stored denial can be re-checked, and two denials with one hash had the same inputs.
 */
export function preflightInputHash(ctx: PreflightContext): string {
  const r = ctx.risk;
  const s = r?.snapshot;
  const material = [
    ctx.kind, ctx.side, ctx.symbol, ctx.quantity, ctx.price, ctx.position?.quantity ?? 0, ctx.position?.entryPrice ?? 0,
    ctx.market.symbol, ctx.market.amountStep, ctx.market.priceStep, ctx.market.minAmount, ctx.market.minNotional, ctx.market.takerFee,
    ctx.tradingState.state, ctx.allowShort, ctx.available, ctx.equity, ctx.source ?? 'strategy', ctx.orderType ?? 'market', ctx.limitPrice ?? null,
    r ? Object.entries(r.limits).map(([k, v]) => `${k}=${v}`).join(',') : null,
    s ? [s.now, s.panicScore ?? null, s.openPositions, s.dayStartEquity, s.peakEquity, s.ordersLastMinute, s.priceTs ?? null, s.spreadPct ?? null, s.candleTs ?? null, s.locks.get(ctx.symbol)?.until ?? null] : null,
  ];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}
