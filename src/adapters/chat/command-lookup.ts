import type { Command } from '../../../commands/command.ts';

/**
 * The command name of a typed line: `/status`, `status`, `/status@MyBot args` → `status`.
 * Returns undefined for an empty line.
 */
export function commandName(text: string): string | undefined {
  const first = text.trim().split(/\s+/, 1)[0] ?? '';
  const name = first.replace(/^\//, '').replace(/@.*$/, '').toLowerCase();
  return name || undefined;
}

/** The command a line invokes, if any (transports use it to know whether a command is slow). */
export function findCommand(commands: readonly Command[], text: string): Command | undefined {
  const name = commandName(text);
  return name ? commands.find((c) => c.name === name) : undefined;
}
