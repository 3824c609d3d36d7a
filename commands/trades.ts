import { z } from 'zod';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { duration, pct, signedMoney, utc } from './format.ts';
import { priceFormat } from './precision.ts';

export const MAX_TRADES = 100;
const args = z.strictObject({ n: wholeNumber(1, MAX_TRADES, 'how many trades').optional() });

export const tradesCommand: Command<typeof args> = {
  name: 'trades',
  description: `The most recent closed trades, newest first (default 10, at most ${MAX_TRADES}): entry, exit, P&L, duration and exit reason. /fills lists single fills.`,
  usage: '[N]',
  examples: ['/trades', '/trades 25'],
  positional: ['n'],
  args,
  role: 'viewer',
  async run(ctx, { n }) {
    const trades = await ctx.services.closedTrades(n ?? 10);
    if (trades.length === 0) return { title: 'Trades', text: ['No closed trades yet (/positions shows open ones).'] };
    const f = await priceFormat(ctx);
    const total = trades.reduce((s, t) => s + t.pnl, 0);
    return {
      title: `Last ${trades.length} closed trade${trades.length === 1 ? '' : 's'}`,
      text: [`Net ${signedMoney(total)} after fees, ${trades.filter((t) => t.pnl > 0).length} of ${trades.length} won.`],
      tables: [
        {
          columns: ['Symbol', 'Side', 'Entry', 'Exit', 'P&L', '%', 'Held', 'Closed (UTC)', 'Exit reason'],
          rows: trades.map((t) => [t.symbol, t.side, f.price(t.symbol, t.entryPrice), f.price(t.symbol, t.exitPrice), signedMoney(t.pnl), pct(t.pnlPct), duration(t.exitTs - t.entryTs), utc(t.exitTs).slice(5, 16), t.exitReason]),
          align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
        },
      ],
    };
  },
};
