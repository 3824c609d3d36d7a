import { z } from 'zod';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { money, signedMoney, utc } from './format.ts';
import { priceFormat } from './precision.ts';

export const MAX_FILLS = 100;
const args = z.strictObject({ n: wholeNumber(1, MAX_FILLS, 'how many fills').optional() });

export const fillsCommand: Command<typeof args> = {
  name: 'fills',
  description: `The most recent fills (executions), newest first (default 10, at most ${MAX_FILLS}).`,
  usage: '[N]',
  examples: ['/fills', '/fills 25'],
  positional: ['n'],
  args,
  role: 'viewer',
  async run(ctx, { n }) {
    const fills = await ctx.services.trades(n ?? 10);
    if (fills.length === 0) return { title: 'Fills', text: ['No fills yet.'] };
    const f = await priceFormat(ctx);
    return {
      title: `Last ${fills.length} fill${fills.length === 1 ? '' : 's'}`,
      tables: [
        {
          columns: ['Time (UTC)', 'Symbol', 'Side', 'Price', 'Amount', 'Fee', 'P&L'],
          rows: fills.map((t) => [utc(t.ts).replace(' UTC', '').slice(5, 16), t.symbol, t.side, f.price(t.symbol, t.price), f.amount(t.symbol, t.amount), money(t.fee), t.realizedPnl === 0 ? '' : signedMoney(t.realizedPnl)]),
          align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
        },
      ],
    };
  },
};
