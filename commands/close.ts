import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { symbol } from './arg-types.ts';
import type { Command } from './command.ts';
import { qty } from './format.ts';
import { riskServices } from './manual-order.ts';
import { actor } from './pause.ts';

const args = z.strictObject({ target: z.union([z.literal('all'), symbol()], { message: 'expected a symbol such as BTC/USDT, or all' }) });

function closeCommandNamed(name: string, alias?: string): Command<typeof args> {
  return {
    name,
    description: `${alias ? `Same as /${alias}: c` : 'C'}lose one position with a reduce-only market order, or \`all\` positions tradeops holds. Preview, then Confirm / Cancel. Goes through the risk gate (exits pass unless their price is missing).`,
    usage: 'SYMBOL|all',
    examples: [`/${name} BTC/USDT`, `/${name} all`],
    positional: ['target'],
    args,
    role: 'trader',
    leaderOnly: true,
    async confirm({ target }, ctx) {
      const list = await riskServices(ctx).closePreview(target);
      if (list.length === 0) throw new AppError('NOT_FOUND', target === 'all' ? 'tradeops holds no position' : `tradeops holds no position on ${target}`);
      return ['Close with reduce-only market orders:', ...list.map((p) => `• ${p.symbol}: ${p.side} ${qty(p.quantity)} (mark ${qty(p.markPrice)})`)].join('\n');
    },
    async run(ctx, { target }) {
      const results = await riskServices(ctx).close(target, actor(ctx.caller));
      const ok = results.every((r) => r.ok);
      return { title: ok ? 'Closed' : 'Close: not everything closed', text: results.map((r) => `${r.symbol}: ${r.detail}`), tone: ok ? 'success' : 'warning' };
    },
  };
}

export const closeCommand = closeCommandNamed('close');
export const forceexitCommand = closeCommandNamed('forceexit', 'close');
export const fxCommand = closeCommandNamed('fx', 'close');
