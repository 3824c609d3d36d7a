import { z } from 'zod';
import type { Command } from './command.ts';
import { money } from './format.ts';
import { priceFormat } from './precision.ts';
import { describeAccount } from '../src/domain/account.ts';

const args = z.strictObject({});

export const balanceCommand: Command<typeof args> = {
  name: 'balance',
  description: 'Balances per asset: free, in orders, total.',
  examples: ['/balance'],
  args,
  role: 'viewer',
  async run(ctx) {
    const balances = (await ctx.services.balances()).filter((b) => b.total !== 0 || b.used !== 0);
    const account = ctx.services.account ? await ctx.services.account() : undefined;
    const text = account ? [describeAccount(account, money)] : undefined;
    const f = await priceFormat(ctx);
    if (balances.length === 0) return { title: 'Balance', text: ['No balances.', ...(text ?? [])] };
    return {
      title: 'Balance',
      ...(text ? { text } : {}),
      tables: [
        {
          columns: ['Asset', 'Free', 'In orders', 'Total'],
          rows: balances.map((b) => [b.asset, f.asset(b.asset, b.free), f.asset(b.asset, b.used), f.asset(b.asset, b.total)]),
          align: ['left', 'right', 'right', 'right'],
        },
      ],
    };
  },
};
