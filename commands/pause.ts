import { z } from 'zod';
import { text } from './arg-types.ts';
import type { Command } from './command.ts';

const args = z.strictObject({ reason: text(200, 'a reason').optional() });

/** Who changed the trading state, as stored with it: `telegram:123`. */
export function actor(caller: { platform: string; userId: string }): string {
  return `${caller.platform}:${caller.userId}`;
}

export const pauseCommand: Command<typeof args> = {
  name: 'pause',
  description: 'REDUCING: no new entries; exits, stops and take-profits keep working. /resume undoes it.',
  usage: '[REASON…]',
  examples: ['/pause', '/pause news at 14:30'],
  positional: ['...reason'],
  args,
  role: 'trader',
  leaderOnly: true,
  async run(ctx, { reason }) {
    const before = (await ctx.services.status()).tradingState;
    if (before.state === 'REDUCING') return { text: ['Already paused (REDUCING): no new entries.'], tone: 'info' };
    if (before.state === 'HALTED') return { text: ['Trading is HALTED, which already stops entries; /resume (admin) restarts it.'], tone: 'warning' };
    const s = await ctx.services.setTradingState('REDUCING', reason ?? 'paused from chat', actor(ctx.caller));
    return { title: 'Paused', text: [`Trading is ${s.state}: no new entries; exits and stops keep working.`], tone: 'warning' };
  },
};
