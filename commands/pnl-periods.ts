import { z } from 'zod';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { pnlCommand } from './pnl.ts';

const args = z.strictObject({ n: wholeNumber(1, 366, 'how many periods').optional() });

function periodCommand(name: string, period: 'day' | 'week' | 'month', what: string, defaultN: number): Command<typeof args> {
  return {
    name,
    description: `Realised P&L per ${period} for the last N ${what} (default ${defaultN}), with fees, trade counts and end equity — /pnl ${period} N.`,
    usage: '[N]',
    examples: [`/${name}`, `/${name} ${defaultN * 2}`],
    positional: ['n'],
    args,
    role: 'viewer',
    run: (ctx, { n }) => pnlCommand.run(ctx, { period, n: n ?? defaultN }),
  };
}

export const dailyCommand = periodCommand('daily', 'day', 'days', 7);
export const weeklyCommand = periodCommand('weekly', 'week', 'weeks', 8);
export const monthlyCommand = periodCommand('monthly', 'month', 'months', 6);
