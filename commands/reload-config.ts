import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import type { Command } from './command.ts';
import { actor } from './pause.ts';

const args = z.strictObject({});

export const reloadConfigCommand: Command<typeof args> = {
  name: 'reload_config',
  description: 'Re-read the configuration (environment and .env) and apply STRATEGY, STRATEGY_PARAMS and SYMBOLS without a restart; invalid values change nothing.',
  examples: ['/reload_config'],
  args,
  role: 'admin',
  async run(ctx) {
    if (!ctx.services.settings) throw new AppError('UNAVAILABLE', 'settings are not available in this process');
    const r = await ctx.services.settings.reload(actor(ctx.caller));
    const text = r.applied.length > 0 ? r.applied.map((a) => `Applied ${a}`) : ['Strategy, parameters and symbols are unchanged.'];
    if (r.needRestart.length > 0) text.push(`Changed but applied only after a restart: ${r.needRestart.join(', ')}.`);
    return { title: r.applied.length > 0 ? 'Configuration reloaded' : 'Configuration re-read', text, tone: r.applied.length > 0 ? 'success' : 'info' };
  },
};
