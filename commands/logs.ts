import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { scrubSecrets } from '../src/logger.ts';
import { choice, wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';

export const MAX_LOG_LINES = 50;
const args = z.strictObject({
  n: wholeNumber(1, MAX_LOG_LINES, 'how many lines').optional(),
  level: choice(['debug', 'info', 'warn', 'error'], 'the lowest level').optional(),
});

export const logsCommand: Command<typeof args> = {
  name: 'logs',
  description: `The process's most recent log lines, secrets scrubbed (default 10, at most ${MAX_LOG_LINES}; optionally from a level up).`,
  usage: '[N] [LEVEL]',
  examples: ['/logs', '/logs 20', '/logs 20 warn'],
  positional: ['n', 'level'],
  args,
  role: 'admin',
  async run(ctx, { n, level }) {
    if (!ctx.services.logs) throw new AppError('UNAVAILABLE', 'this process keeps no log lines in memory');
    const lines = ctx.services.logs.recent(n ?? 10, level ?? 'debug');
    if (lines.length === 0) return { title: 'Logs', text: [`No log lines${level ? ` at ${level} or above` : ''} yet.`] };
    // Scrubbed again here: a chat is a place secrets must never reach, whatever the ring was given.
    const text = lines.map((l) => scrubSecrets(`${new Date(l.ts).toISOString().slice(11, 19)} ${l.level.toUpperCase()}${l.component ? ` [${l.component}]` : ''} ${l.msg}${l.error ? `: ${l.error}` : ''}`));
    return { title: `Last ${lines.length} log line${lines.length === 1 ? '' : 's'} (UTC)`, text: [text.join('\n')] };
  },
};
