import type { ProtectionTrigger } from './protection.ts';

/**
 * Cooldown after an exit: re-entering the same symbol at once is how a stop-out turns into a string of
 * losses on one choppy move (freqtrade's CooldownPeriod has the same idea).
 */
export function cooldownAfterExit(symbol: string, ts: number, cooldownMs: number): ProtectionTrigger | undefined {
  if (!(cooldownMs > 0)) return undefined;
  return { kind: 'cooldown', symbol, until: ts + cooldownMs, reason: `cooldown ${Math.round(cooldownMs / 60_000)} min after an exit`, ts };
}
