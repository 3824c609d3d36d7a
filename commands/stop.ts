import { z } from 'zod';
import { text } from './arg-types.ts';
import type { Command } from './command.ts';
import { actor } from './pause.ts';

const args = z.strictObject({ reason: text(200, 'a reason').optional() });

export const stopCommand: Command<typeof args> = {
  name: 'stop',
  description: 'HALTED: the trading loop sends nothing new — no entries, no exits. Asks for confirmation. An admin /resume restarts it.',
  usage: '[REASON…]',
  examples: ['/stop', '/stop exchange maintenance'],
  positional: ['...reason'],
  args,
  role: 'admin',
  leaderOnly: true,
  async confirm(_args, ctx) {
    const s = (await ctx.services.status()).tradingState;
    return `Trading goes from ${s.state} to HALTED: no new orders at all — entries, exits and protective stops stop until an admin sends /resume. Open positions stay as they are.`;
  },
  async run(ctx, { reason }) {
    const s = await ctx.services.setTradingState('HALTED', reason ?? 'stopped from chat', actor(ctx.caller));
    return { title: 'Stopped', text: [`Trading is ${s.state}: nothing new is sent. /resume restarts it.`], tone: 'warning' };
  },
};
