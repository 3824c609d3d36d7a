import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { confirmationCode } from './arg-types.ts';
import type { Command } from './command.ts';

const args = z.strictObject({ code: confirmationCode() });

export const confirmCommand: Command<typeof args> = {
  name: 'confirm',
  description: 'Carry out a command that asked for confirmation. Codes are single-use, valid 60 s and only for the user who asked.',
  usage: 'CODE',
  examples: ['/confirm 4F7K2Q'],
  positional: ['code'],
  args,
  role: 'viewer',
  async run(ctx, { code }) {
    if (!ctx.chatOps) throw new AppError('UNAVAILABLE', 'confirmations are not available here');
    return ctx.chatOps.confirmations.confirm(code);
  },
};
