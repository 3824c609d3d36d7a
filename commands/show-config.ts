import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { text } from './arg-types.ts';
import type { Command } from './command.ts';

const args = z.strictObject({ filter: text(40, 'a variable name, part of one, a group, or all').optional() });

/** Shown even at their default: what anyone asks first. */
const ALWAYS = ['MODE', 'EXCHANGE', 'EXCHANGE_MARKET', 'STRATEGY', 'STRATEGY_PARAMS', 'SYMBOLS', 'TIMEFRAME'];

export const showConfigCommand: Command<typeof args> = {
  name: 'show_config',
  description: 'The settings in effect, secrets masked: the main ones and every changed one, or those matching a word (`all` for every variable).',
  usage: '[FILTER]',
  examples: ['/show_config', '/show_config risk', '/show_config all'],
  positional: ['filter'],
  args,
  role: 'viewer',
  async run(ctx, { filter }) {
    if (!ctx.services.settings) throw new AppError('UNAVAILABLE', 'settings are not available in this process');
    const all = ctx.services.settings.list();
    const word = filter?.trim().toLowerCase();
    const shown = word === 'all'
      ? all
      : word
        ? all.filter((s) => s.name.toLowerCase().includes(word) || s.group.toLowerCase().includes(word))
        : all.filter((s) => s.changed || ALWAYS.includes(s.name));
    if (shown.length === 0) return { title: 'Configuration', text: [`No variable matches "${filter}" — try /show_config all.`] };
    return {
      title: word ? `Configuration: ${word === 'all' ? 'every variable' : `matching "${filter}"`}` : 'Configuration in effect',
      text: word ? [] : ['Main settings and every one changed from its default; secrets are masked. /show_config all lists everything.'],
      tables: [{ columns: ['Variable', 'Value'], rows: shown.map((s) => [s.name, s.value === '' ? '(unset)' : `${s.value}${s.changed ? '' : ' (default)'}`]), align: ['left', 'left'] }],
    };
  },
};
