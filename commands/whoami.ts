import { z } from 'zod';
import type { Command } from './command.ts';

const args = z.strictObject({});

export const whoamiCommand: Command<typeof args> = {
  name: 'whoami',
  description: 'Your platform id and role — also answered to users not on the allow-list, so they can ask to be added.',
  examples: ['/whoami'],
  args,
  role: 'viewer',
  public: true,
  async run(ctx) {
    const { caller, role } = ctx;
    const id = `${caller.platform}:${caller.userId}`;
    if (!role) {
      return {
        title: 'Who you are',
        text: [`Your id is ${id}. You are not on the allow-list.`, `To be added, an admin puts ${id}=viewer (or trader, admin) in CHAT_USERS.`],
      };
    }
    const lines = [`Your id is ${id}; your role is ${role}.`];
    if (caller.chatId && caller.chatId !== caller.userId) lines.push(`This chat is ${caller.platform}:${caller.chatId}.`);
    return { title: 'Who you are', text: lines };
  },
};
