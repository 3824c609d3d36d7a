import { allowsEntries, allowsOrders } from '../../domain/trading-state.ts';
import type { PreflightRule } from './rule.ts';

/**
 * HALTED sends nothing but kill-all's closes (the halt exists to flatten safely); REDUCING (`/pause`,
 * risk limits) still lets positions close.
 */
export const tradingStateRule: PreflightRule = (ctx) => {
  const s = ctx.tradingState;
  if (!allowsOrders(s) && ctx.source !== 'kill-all') return { code: 'HALTED', message: `trading is halted: ${s.reason}` };
  if (ctx.kind === 'entry' && !allowsEntries(s)) return { code: 'NO_NEW_ENTRIES', message: `new entries are paused: ${s.reason}` };
  return undefined;
};
