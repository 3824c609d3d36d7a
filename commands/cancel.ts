import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { confirmationCode } from './arg-types.ts';
import type { Command } from './command.ts';

const args = z.strictObject({ code: confirmationCode() });

export const cancelCommand: Command<typeof args> = {
  name: 'cancel',
  description: 'Drop a pending confirmation: the command will not run.',
  usage: 'CODE',
  examples: ['/cancel 4F7K2Q'],
  positional: ['code'],
  args,
  role: 'viewer',
  async run(ctx, { code }) {
    if (!ctx.chatOps) throw new AppError('UNAVAILABLE', 'confirmations are not available here');
    return ctx.chatOps.confirmations.cancel(code);
  },
};
