import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import type { Command } from './command.ts';
import { chatIdentity } from './dashboard.ts';

const args = z.strictObject({ scope: z.literal('all', { error: 'write /logout all' }).optional() });

export const logoutCommand: Command<typeof args> = {
  name: 'logout',
  description: 'End every web dashboard session and unused sign-in link of yours (`/logout all`).',
  usage: '[all]',
  examples: ['/logout all'],
  positional: ['scope'],
  args,
  role: 'viewer',
  async run(ctx) {
    const access = ctx.services.dashboard;
    if (!access) throw new AppError('UNAVAILABLE', 'the web dashboard is turned off (DASHBOARD=false)');
    const n = await access.revokeAll(chatIdentity(ctx.caller));
    return { title: 'Signed out', text: [n === 0 ? 'You had no open dashboard session or link.' : `Ended ${n} dashboard session(s)/link(s) of yours; every browser must sign in again.`], tone: 'info' };
  },
};
