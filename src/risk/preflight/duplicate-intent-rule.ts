import { intentKey } from '../risk-view.ts';
import type { PreflightRule } from './rule.ts';

/** The same source asking for the same side on the same symbol twice in one candle is a double send. */
export const duplicateIntentRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry' || r.snapshot.candleTs === undefined) return undefined;
  const key = intentKey(ctx.source ?? 'strategy', ctx.symbol, ctx.side, r.snapshot.candleTs);
  return r.snapshot.seenIntents.has(key)
    ? { code: 'DUPLICATE_INTENT', message: `a ${ctx.side} entry on ${ctx.symbol} from ${ctx.source ?? 'strategy'} was already approved for this candle` }
    : undefined;
};
