import type { Command, CommandContext } from './command.ts';
import type { Execution } from './execution.ts';
import { reply as R } from './reply.ts';

/**
 * Several processes may share one database; only the leader trades. A standby answers every command
 * that only reads (status, positions, health, backtests …) and refuses, without running anything,
 * the ones marked `leaderOnly`: an order or a trading-state change sent to a standby must not be
 * half-done there (its order manager holds every order) nor silently lost.
 */
export function standbyRefusal(command: Command, ctx: CommandContext): Execution | undefined {
  if (!command.leaderOnly || ctx.services.processRole?.() !== 'standby') return undefined;
  const message = `this process is a standby: another process is the leader and trades. /${command.name} changes trading, so only the leader runs it — nothing was done here. Send it to the leader (Telegram is always served by the leader), or wait for a takeover; /status shows the role.`;
  return { reply: R.error(message), decision: 'refused', result: 'standby: leader-only command' };
}
