import { z } from 'zod';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { qty, signedMoney, utc } from './format.ts';

export const MAX_TRADES = 100;
const args = z.strictObject({ n: wholeNumber(1, MAX_TRADES, 'how many trades').optional() });

export const tradesCommand: Command<typeof args> = {
  name: 'trades',
  description: `The most recent fills, newest first (default 10, at most ${MAX_TRADES}).`,
  usage: '[N]',
  examples: ['/trades', '/trades 25'],
  positional: ['n'],
  args,
  role: 'viewer',
  async run(ctx, { n }) {
    const trades = await ctx.services.trades(n ?? 10);
    if (trades.length === 0) return { title: 'Trades', text: ['No trades yet.'] };
    return {
      title: `Last ${trades.length} trade${trades.length === 1 ? '' : 's'}`,
      tables: [
        {
          columns: ['Time (UTC)', 'Symbol', 'Side', 'Price', 'Amount', 'Fee', 'P&L'],
          rows: trades.map((t) => [utc(t.ts).replace(' UTC', ''), t.symbol, t.side, qty(t.price), qty(t.amount), qty(t.fee), t.realizedPnl === 0 ? '' : signedMoney(t.realizedPnl)]),
          align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
        },
      ],
    };
  },
};
