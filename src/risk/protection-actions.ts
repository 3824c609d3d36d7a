import type { ProtectionTrigger } from './protections/protection.ts';
import type { Publish, TradingStateHolder } from './trading-state.ts';

export interface ProtectionActionDeps {
  tradingState: TradingStateHolder;
  publish: Publish;
  /** Kill-all, for DAILY_LOSS_FLATTEN (and PANIC_AUTO_KILL). Absent in backtests: the backtest closes itself. */
  flatten?: (reason: string) => Promise<unknown>;
}

/**
 * Carry out what a protection decided: a symbol lock is already in the risk state and only announced;
 * a drawdown or daily-loss breach HALTS trading (persisted before anything else) and, when configured,
 * flattens every position.
 */
export async function applyProtection(t: ProtectionTrigger, d: ProtectionActionDeps): Promise<void> {
  if (!('state' in t)) {
    d.publish({ type: 'protection-triggered', ts: t.ts, protection: t.kind, symbol: t.symbol, until: t.until, reason: t.reason });
    return;
  }
  if (d.tradingState.get().state !== 'HALTED') await d.tradingState.set('HALTED', t.reason, `protection:${t.kind}`);
  d.publish({ type: 'protection-triggered', ts: t.ts, protection: t.kind, reason: t.flatten ? `${t.reason}; closing every position` : t.reason });
  if (t.flatten && d.flatten) await d.flatten(t.reason);
}
