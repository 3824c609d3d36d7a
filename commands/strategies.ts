import { z } from 'zod';
import type { Command } from './command.ts';

const args = z.strictObject({});

export const strategiesCommand: Command<typeof args> = {
  name: 'strategies',
  description: 'The strategies this bot knows, which one trades, and its parameters.',
  examples: ['/strategies'],
  args,
  role: 'viewer',
  async run(ctx) {
    const list = await ctx.services.strategies();
    if (list.length === 0) return { title: 'Strategies', text: ['No strategies are registered.'] };
    const active = list.filter((s) => s.active);
    return {
      title: 'Strategies',
      text: active.map((s) => `Trading with ${s.name}: ${Object.entries(s.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') || 'default parameters'}`),
      tables: [
        {
          columns: ['Name', 'Active', 'Description'],
          rows: list.map((s) => [s.name, s.active ? 'yes' : '', s.description]),
          align: ['left', 'left', 'left'],
        },
      ],
    };
  },
};
