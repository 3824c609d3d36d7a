import { z } from 'zod';
import { performanceBySymbol } from '../src/domain/closed-trades.ts';
import type { Command } from './command.ts';
import { pct, signedMoney } from './format.ts';

const args = z.strictObject({});

export const performanceCommand: Command<typeof args> = {
  name: 'performance',
  description: 'Closed-trade results per symbol: trades, win rate, net P&L and average % per trade, best first.',
  examples: ['/performance'],
  args,
  role: 'viewer',
  async run(ctx) {
    const trades = await ctx.services.closedTrades();
    if (trades.length === 0) return { title: 'Performance', text: ['No closed trades yet.'] };
    const rows = performanceBySymbol(trades);
    const total = rows.reduce((s, r) => s + r.pnl, 0);
    return {
      title: 'Performance per symbol',
      text: [`${trades.length} closed trade${trades.length === 1 ? '' : 's'}, net ${signedMoney(total)} after fees.`],
      tables: [
        {
          columns: ['Symbol', 'Trades', 'Won', 'P&L', 'Avg %'],
          rows: rows.map((r) => [r.symbol, r.trades, `${Math.round((r.wins / r.trades) * 100)}%`, signedMoney(r.pnl), pct(r.avgPct)]),
          align: ['left', 'right', 'right', 'right', 'right'],
        },
      ],
    };
  },
};
