/**
 * ACTIVE: normal trading. REDUCING: no new entries, exits and stops still work (`/pause`, risk
 * limits). HALTED: the loop sends nothing new (`/stop`, auth failure, IP ban, kill switch).
 */
export type TradingStateName = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface TradingState {
  state: TradingStateName;
  reason: string;
  changedBy: string;
  changedAt: number;
  /** For automatic halts (IP ban): when trading may resume by itself. */
  haltedUntil?: number;
}

export function allowsEntries(s: TradingState): boolean {
  return s.state === 'ACTIVE';
}

export function allowsOrders(s: TradingState): boolean {
  return s.state !== 'HALTED';
}
