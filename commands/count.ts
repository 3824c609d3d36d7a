import { z } from 'zod';
import type { Command } from './command.ts';
import { money } from './format.ts';

const args = z.strictObject({});

export const countCommand: Command<typeof args> = {
  name: 'count',
  description: 'How many positions are open (long and short), and their value against equity.',
  examples: ['/count'],
  args,
  role: 'viewer',
  async run(ctx) {
    const s = await ctx.services.status();
    const open = s.openPositions;
    const longs = open.filter((p) => p.side === 'long').length;
    const value = open.reduce((v, p) => v + Math.abs(p.quantity * p.markPrice), 0);
    const share = s.equity > 0 ? (value / s.equity) * 100 : 0;
    return {
      title: `${open.length} open position${open.length === 1 ? '' : 's'}`,
      text: [`${longs} long, ${open.length - longs} short · ${money(value)} ${s.quoteCurrency} = ${share.toFixed(1)}% of equity ${money(s.equity)}`, `Trading ${s.tradingState.state} on ${s.symbols.join(', ')}`],
    };
  },
};
