/** What a protection decided: lock one symbol for entries, or change the trading state of everything. */
export type ProtectionTrigger =
  | { kind: 'cooldown' | 'stoploss-guard'; symbol: string; until: number; reason: string; ts: number }
  | { kind: 'max-drawdown' | 'daily-loss'; state: 'HALTED'; reason: string; ts: number; flatten: boolean };

export interface ProtectionConfig {
  /** Entries on a symbol wait this long after an exit on it (0 = off). */
  cooldownMs: number;
  /** Stop-loss guard: this many stop-loss exits on one symbol within `stoplossWindowMs` lock it (0 = off). */
  stoplossGuardCount: number;
  stoplossWindowMs: number;
  stoplossLockMs: number;
  /** Drawdown from the equity peak (%) that halts trading (Infinity = off). */
  maxDrawdownPct: number;
  /** Loss since the UTC day began (%) that halts trading (Infinity = off). */
  dailyLossPct: number;
  /** With the daily loss halt, also close every position (kill-all). */
  dailyLossFlatten: boolean;
}

export const NO_PROTECTIONS: ProtectionConfig = {
  cooldownMs: 0,
  stoplossGuardCount: 0,
  stoplossWindowMs: 0,
  stoplossLockMs: 0,
  maxDrawdownPct: Infinity,
  dailyLossPct: Infinity,
  dailyLossFlatten: false,
};
