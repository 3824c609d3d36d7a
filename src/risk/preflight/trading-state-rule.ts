import type { PreflightRule } from './rule.ts';

/** HALTED sends nothing; REDUCING (`/pause`, risk limits) still lets positions close. */
export const tradingStateRule: PreflightRule = (ctx) => {
  if (ctx.tradingState.state === 'HALTED') {
    return { code: 'HALTED', message: `trading is halted: ${ctx.tradingState.reason}` };
  }
  if (ctx.tradingState.state === 'REDUCING' && ctx.kind === 'entry') {
    return { code: 'NO_NEW_ENTRIES', message: `new entries are paused: ${ctx.tradingState.reason}` };
  }
  return undefined;
};
