import type { Command } from './command.ts';

/**
 * Another name for a command, the way traders coming from other bots type it (`/stopentry`,
 * `/stopbuy` for `/pause`; `/fills` for `/trades`). It is a full command — so Telegram's menu, Discord's
 * slash commands, help and the docs all know it — that runs its target unchanged.
 */
export function aliasOf<C extends Command>(target: C, name: string): C {
  return { ...target, name, description: `Same as /${target.name}: ${target.description}`, examples: (target.examples ?? []).map((e) => e.replace(`/${target.name}`, `/${name}`)), aliasOf: target.name };
}
