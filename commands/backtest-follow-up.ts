import { backtestProgressReply, backtestResultReply } from './backtest-replies.ts';
import type { FollowUp } from './follow-up.ts';
import { followUpOf } from './follow-up.ts';
import type { BacktestRunView, BotServices } from './services.ts';

/** The progress and result of one queued backtest run, as a follow-up job of `/backtest`. */
export function backtestFollowUp(backtests: BotServices['backtests'], run: BacktestRunView): FollowUp {
  return followUpOf<BacktestRunView>(
    `backtest:${run.id}`,
    (listener) => backtests.onUpdate((r) => (r.id === run.id ? listener(r) : undefined)),
    run,
    (r) => (r.status === 'done' || r.status === 'failed' ? { done: backtestResultReply(r) } : { progress: backtestProgressReply(r) }),
  );
}
