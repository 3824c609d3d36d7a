import { z } from 'zod';
import type { Command } from './command.ts';
import { money, signedMoney } from './format.ts';

const args = z.strictObject({});

/** Freqtrade's /profit: what has been made — realised per period, plus what open positions hold now. */
export const profitCommand: Command<typeof args> = {
  name: 'profit',
  description: 'Profit so far: realised P&L today, this week and this month (after fees), unrealised P&L of open positions, and equity.',
  examples: ['/profit'],
  args,
  role: 'viewer',
  async run(ctx) {
    const [s, day, week, month] = await Promise.all([ctx.services.status(), ctx.services.pnl('day', 1), ctx.services.pnl('week', 1), ctx.services.pnl('month', 1)]);
    const realised = (rows: typeof day) => rows.reduce((v, r) => v + r.realizedPnl, 0);
    const trades = (rows: typeof day) => rows.reduce((v, r) => v + r.trades, 0);
    const unrealised = s.openPositions.reduce((v, p) => v + p.unrealizedPnl, 0);
    const q = s.quoteCurrency;
    return {
      title: `Profit (${q})`,
      tables: [
        {
          columns: ['Period', 'Realised', 'Trades'],
          rows: [
            ['Today', signedMoney(realised(day)), trades(day)],
            ['This week', signedMoney(realised(week)), trades(week)],
            ['This month', signedMoney(realised(month)), trades(month)],
          ],
          align: ['left', 'right', 'right'],
        },
      ],
      text: [`Unrealised ${signedMoney(unrealised)} on ${s.openPositions.length} open position${s.openPositions.length === 1 ? '' : 's'} · equity ${money(s.equity)} ${q}`],
    };
  },
};
