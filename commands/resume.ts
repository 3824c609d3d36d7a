import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { text } from './arg-types.ts';
import { type Command, ROLE_RANK } from './command.ts';
import { actor } from './pause.ts';

const args = z.strictObject({ reason: text(200, 'a reason').optional() });

export const resumeCommand: Command<typeof args> = {
  name: 'resume',
  description: 'ACTIVE again after /pause. Resuming from HALTED (/stop, kill switch, automatic halts) needs an admin.',
  usage: '[REASON…]',
  examples: ['/resume'],
  positional: ['...reason'],
  args,
  role: 'trader',
  leaderOnly: true,
  async run(ctx, { reason }) {
    const before = (await ctx.services.status()).tradingState;
    if (before.state === 'ACTIVE') return { text: ['Trading is already ACTIVE.'], tone: 'info' };
    // A halt is an admin's (or the risk engine's) decision; a trader may only undo a pause.
    if (before.state === 'HALTED' && ROLE_RANK[ctx.role ?? 'viewer'] < ROLE_RANK.admin) {
      throw new AppError('FORBIDDEN', `Trading is HALTED (${before.reason}); only an admin can resume it.`);
    }
    const s = await ctx.services.setTradingState('ACTIVE', reason ?? 'resumed from chat', actor(ctx.caller));
    return { title: 'Resumed', text: [`Trading is ${s.state} (was ${before.state}: ${before.reason}).`], tone: 'success' };
  },
};
