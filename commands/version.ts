import { z } from 'zod';
import type { Command } from './command.ts';
import { duration } from './format.ts';

const args = z.strictObject({});

export const versionCommand: Command<typeof args> = {
  name: 'version',
  description: 'The tradeops version running, and for how long.',
  examples: ['/version'],
  args,
  role: 'viewer',
  async run(ctx) {
    const s = await ctx.services.status();
    const h = await ctx.services.health();
    return { title: `tradeops ${h.version}`, text: [`${s.mode} on ${s.exchange}, up ${duration(s.uptimeMs)}.`] };
  },
};
