import { z } from 'zod';
import { choice, wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { money, signedMoney, utcDay } from './format.ts';

const DEFAULT_COUNT = { day: 7, week: 8, month: 6 } as const;
const args = z.strictObject({
  period: choice(['day', 'week', 'month'] as const, 'period:').optional(),
  n: wholeNumber(1, 366, 'how many periods').optional(),
});

export const pnlCommand: Command<typeof args> = {
  name: 'pnl',
  description: 'Realised P&L per day, week or month as a table, with fees, trade counts and end equity.',
  usage: '[day|week|month] [N]',
  examples: ['/pnl', '/pnl week', '/pnl month 12'],
  positional: ['period', 'n'],
  args,
  role: 'viewer',
  async run(ctx, { period, n }) {
    const p = period ?? 'day';
    const rows = await ctx.services.pnl(p, n ?? DEFAULT_COUNT[p]);
    if (rows.length === 0) return { title: `P&L per ${p}`, text: ['No P&L recorded yet.'] };
    const total = rows.reduce((s, r) => s + r.realizedPnl, 0);
    const fees = rows.reduce((s, r) => s + r.fees, 0);
    const trades = rows.reduce((s, r) => s + r.trades, 0);
    return {
      title: `P&L per ${p}`,
      tables: [
        {
          columns: [p === 'day' ? 'Day' : p === 'week' ? 'Week of' : 'Month', 'P&L', 'Fees', 'Trades', 'Equity'],
          rows: [
            ...rows.map((r) => [p === 'month' ? utcDay(r.periodStart).slice(0, 7) : utcDay(r.periodStart), signedMoney(r.realizedPnl), money(r.fees), r.trades, r.endEquity === undefined ? '—' : money(r.endEquity)]),
            ['Total', signedMoney(total), money(fees), trades, ''],
          ],
          align: ['left', 'right', 'right', 'right', 'right'],
        },
      ],
    };
  },
};
