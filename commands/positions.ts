import { z } from 'zod';
import type { Command } from './command.ts';
import { signedMoney } from './format.ts';
import { positionsTable } from './status.ts';
import { priceFormat } from './precision.ts';
import { quoteOf } from '../src/domain/market.ts';

const args = z.strictObject({});

export const positionsCommand: Command<typeof args> = {
  name: 'positions',
  description: 'Open positions with entry, mark price, unrealised P&L and protective stops.',
  examples: ['/positions'],
  args,
  role: 'viewer',
  async run(ctx) {
    const positions = await ctx.services.positions();
    if (positions.length === 0) return { title: 'Positions', text: ['No open positions.'] };
    // P&L is in the quote currency: BTC/USDT:USDT → USDT.
    const q = quoteOf(positions[0]!.symbol);
    const total = positions.reduce((s, p) => s + p.unrealizedPnl, 0);
    const f = await priceFormat(ctx);
    const at = (symbol: string, n: number | undefined) => (n === undefined ? '—' : f.price(symbol, n));
    const stops = positions
      .filter((p) => p.stopLoss !== undefined || p.takeProfit !== undefined)
      .map((p) => `${p.symbol}: stop ${at(p.symbol, p.stopLoss)} · take profit ${at(p.symbol, p.takeProfit)}`);
    return {
      title: `Positions (${positions.length})`,
      text: [`Unrealised P&L ${signedMoney(total)} ${q}`, ...stops],
      tables: [positionsTable(positions, q, f)],
    };
  },
};
