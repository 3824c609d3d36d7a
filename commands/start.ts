import { z } from 'zod';
import type { Command } from './command.ts';

const args = z.strictObject({});

/** Every Telegram user's first message: what this bot is, who they are to it, where to go next. */
export const startCommand: Command<typeof args> = {
  name: 'start',
  description: 'What this bot is, your platform id and role, and where to start.',
  examples: ['/start'],
  args,
  role: 'viewer',
  public: true,
  async run(ctx) {
    const { caller, role } = ctx;
    const id = `${caller.platform}:${caller.userId}`;
    const lines = ['tradeops trades crypto strategies on an exchange and is run from this chat: status, positions, P&L, backtests, pause and stop.'];
    if (role) {
      lines.push(`You are ${id}, role ${role}.`, 'Send /help for the commands you may use; /status for what the bot is doing now.');
    } else {
      lines.push(`You are ${id} and not on the allow-list yet: an admin adds ${id}=viewer (or trader, admin) to CHAT_USERS.`, 'Until then /help and /whoami answer.');
    }
    return { title: 'Welcome to tradeops', text: lines };
  },
};
