import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import type { Caller, Command } from './command.ts';
import { utc } from './format.ts';

const args = z.strictObject({});

/** The chat identity behind a caller: the dashboard (`web`) acts for the `platform:id` that signed in. */
export function chatIdentity(caller: Pick<Caller, 'platform' | 'userId'>): { platform: string; userId: string } {
  if (caller.platform !== 'web') return { platform: caller.platform, userId: caller.userId };
  const at = caller.userId.indexOf(':');
  return { platform: caller.userId.slice(0, at), userId: caller.userId.slice(at + 1) };
}

export const dashboardCommand: Command<typeof args> = {
  name: 'dashboard',
  description: 'A one-time sign-in link to the web dashboard (valid 10 minutes, for you only, with your role). /logout all ends every session.',
  examples: ['/dashboard'],
  args,
  role: 'viewer',
  async run(ctx) {
    const access = ctx.services.dashboard;
    if (!access) throw new AppError('UNAVAILABLE', 'the web dashboard is turned off (DASHBOARD=false)');
    const link = await access.createLink(chatIdentity(ctx.caller));
    return {
      title: 'Dashboard sign-in',
      text: [link.url, `Open it and press Sign in. It works once, until ${utc(link.expiresAt)}; do not forward it — whoever opens it acts with your role (${ctx.role}).`],
      ephemeral: true,
    };
  },
};
