import type { PreflightRule } from './rule.ts';

/** An exit needs a position to close; an entry must not stack onto a position of the same side. */
export const positionRule: PreflightRule = (ctx) => {
  const q = ctx.position?.quantity ?? 0;
  if (ctx.kind === 'exit' && q === 0) return { code: 'NO_POSITION', message: `no open position on ${ctx.symbol} to exit` };
  if (ctx.kind === 'entry' && q !== 0) {
    const same = (q > 0 && ctx.side === 'long') || (q < 0 && ctx.side === 'short');
    return same
      ? { code: 'ALREADY_IN_POSITION', message: `already ${ctx.side} ${ctx.symbol}` }
      : { code: 'OPPOSITE_POSITION_OPEN', message: `a ${q > 0 ? 'long' : 'short'} position on ${ctx.symbol} must be closed first` };
  }
  return undefined;
};
