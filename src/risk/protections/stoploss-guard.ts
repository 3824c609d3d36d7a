import type { ProtectionTrigger } from './protection.ts';

/**
 * Stop-loss guard: N stop-loss exits on one symbol inside a window say the strategy is out of step
 * with that market; lock the symbol for a while instead of feeding it more. `stops` holds the times of
 * this symbol's stop-loss exits, oldest first, and is pruned in place.
 */
export function stoplossGuard(symbol: string, stops: number[], ts: number, count: number, windowMs: number, lockMs: number): ProtectionTrigger | undefined {
  if (!(count > 0)) return undefined;
  stops.push(ts);
  while (stops.length > 0 && stops[0]! <= ts - windowMs) stops.shift();
  if (stops.length < count) return undefined;
  stops.length = 0;
  return { kind: 'stoploss-guard', symbol, until: ts + lockMs, reason: `${count} stop-losses within ${Math.round(windowMs / 60_000)} min`, ts };
}
