import type { FactorFeed } from '../ports/factors.ts';
import type { PanicFactors } from '../risk/panic/panic-score.ts';

/**
 * The panic score's external inputs from the factor feed: `funding_rate` (fraction per 8 h),
 * `netflow_z` (exchange netflow z-score) and `fear_greed` (0–100), fresh values only — a stale
 * factor neither raises nor lowers the score.
 */
export function panicFactorsOf(feed: FactorFeed, symbol: string): PanicFactors {
  const f = feed.fresh(symbol);
  return { fundingRate: f.funding_rate, netflowZ: f.netflow_z, fearGreed: f.fear_greed };
}
