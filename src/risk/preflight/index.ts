import { fundsRule } from './funds-rule.ts';
import { positionRule } from './position-rule.ts';
import type { Denial, PreflightContext, PreflightRule } from './rule.ts';
import { shortRule } from './short-rule.ts';
import { sizeRule } from './size-rule.ts';
import { tradingStateRule } from './trading-state-rule.ts';

export type { Denial, PreflightContext, PreflightRule } from './rule.ts';

/** The default chain, cheapest and most fundamental first. */
export const DEFAULT_PREFLIGHT: readonly PreflightRule[] = [tradingStateRule, positionRule, shortRule, sizeRule, fundsRule];

/** Run every rule; all denials are returned (a person sees every reason at once). */
export function runPreflight(ctx: PreflightContext, rules: readonly PreflightRule[] = DEFAULT_PREFLIGHT): Denial[] {
  const out: Denial[] = [];
  for (const rule of rules) {
    const d = rule(ctx);
    if (d) out.push(d);
  }
  return out;
}
