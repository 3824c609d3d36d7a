import { alertsCommand } from './alerts.ts';
import { auditCommand } from './audit.ts';
import { backtestCommand } from './backtest.ts';
import { backtestsCommand } from './backtests.ts';
import { balanceCommand } from './balance.ts';
import { cancelCommand } from './cancel.ts';
import type { Command } from './command.ts';
import { confirmCommand } from './confirm.ts';
import { type CommandDescription, describeAll } from './describe.ts';
import { healthCommand } from './health.ts';
import { helpCommand } from './help.ts';
import { pauseCommand } from './pause.ts';
import { pnlCommand } from './pnl.ts';
import { positionsCommand } from './positions.ts';
import { reconcileCommand } from './reconcile.ts';
import { resumeCommand } from './resume.ts';
import { statusCommand } from './status.ts';
import { stopCommand } from './stop.ts';
import { strategiesCommand } from './strategies.ts';
import { tradesCommand } from './trades.ts';
import { whoamiCommand } from './whoami.ts';
import { dashboardCommand } from './dashboard.ts';
import { logoutCommand } from './logout.ts';
import { buyCommand, sellCommand } from './manual-order.ts';
import { closeCommand, forceexitCommand, fxCommand } from './close.ts';
import { killallCommand } from './killall.ts';
import { sweepCommand } from './sweep.ts';
import { panicCommand } from './panic.ts';
import { sizeCommand } from './size.ts';
import { aliasOf } from './alias.ts';
import { countCommand } from './count.ts';
import { dailyCommand, monthlyCommand, weeklyCommand } from './pnl-periods.ts';
import { profitCommand } from './profit.ts';
import { startCommand } from './start.ts';
import { versionCommand } from './version.ts';
import { fillsCommand } from './fills.ts';
import { performanceCommand } from './performance.ts';
import { showConfigCommand } from './show-config.ts';
import { reloadConfigCommand } from './reload-config.ts';
import { logsCommand } from './logs.ts';

/**
 * Every chat command, in the order help lists them. Adding one (`/buy`, `/killall`) is a new file in
 * commands/ and one line here; transports, help, the Discord slash definitions and the docs follow.
 */
export const COMMANDS: readonly Command[] = [
  helpCommand,
  whoamiCommand,
  statusCommand,
  positionsCommand,
  balanceCommand,
  tradesCommand,
  pnlCommand,
  strategiesCommand,
  backtestsCommand,
  healthCommand,
  backtestCommand,
  pauseCommand,
  resumeCommand,
  stopCommand,
  auditCommand,
  alertsCommand,
  confirmCommand,
  cancelCommand,
  reconcileCommand,
  dashboardCommand,
  logoutCommand,
  // risk and manual control (issue 9)
  sizeCommand, panicCommand, buyCommand, sellCommand, closeCommand, forceexitCommand, fxCommand, killallCommand, sweepCommand,
  // Chat-ops 2: the vocabulary of other trading bots (freqtrade's names).
  startCommand,
  versionCommand,
  profitCommand,
  dailyCommand,
  weeklyCommand,
  monthlyCommand,
  countCommand,
  aliasOf(pauseCommand, 'stopentry'),
  aliasOf(pauseCommand, 'stopbuy'),
  fillsCommand,
  performanceCommand,
  showConfigCommand,
  reloadConfigCommand,
  logsCommand,
] as Command[];

/** Usage, role, arguments and examples of every command (help, docs/commands.md, the README check). */
export function describeCommands(commands: readonly Command[] = COMMANDS): CommandDescription[] {
  return describeAll(commands);
}
