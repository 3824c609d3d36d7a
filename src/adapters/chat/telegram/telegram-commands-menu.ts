import type { Command } from '../../../../commands/command.ts';

/**
 * The command menu for setMyCommands: Telegram accepts 1–32 characters of a-z, 0-9 and `_`, a
 * description of 1–256 characters and at most 100 commands. Names it cannot show are left out of
 * the menu (they still work when typed).
 */
export function telegramCommandMenu(commands: readonly Command[]): Array<{ command: string; description: string }> {
  return commands
    .filter((c) => /^[a-z0-9_]{1,32}$/.test(c.name))
    .slice(0, 100)
    .map((c) => ({ command: c.name, description: (c.description || c.name).slice(0, 256) }));
}
