import type { ChatUsers } from '../../commands/users.ts';
import type { Config } from '../config.ts';
import type { AlertChannel } from './alert.ts';

/** Where alerts of one channel go: a chat id, channel id, `webhook`, `dm:<user id>`, LINE user/group id, `console`. */
export interface AlertDestination {
  channel: AlertChannel;
  destination: string;
}

/** The part of a platform descriptor that knows its alert destinations. */
export interface DestinationSource {
  readonly name: string;
  alertDestinations(config: Config, admins: readonly string[]): string[];
}

/**
 * Alert destinations of the enabled platforms: each platform's configured ones, or — as its
 * descriptor decides — its admins' direct chats from CHAT_USERS. Duplicates are dropped.
 */
export function alertDestinations(platforms: readonly DestinationSource[], config: Config, users: ChatUsers): AlertDestination[] {
  const out: AlertDestination[] = [];
  for (const p of platforms) {
    const admins = users.entries.filter((e) => e.platform === p.name && e.role === 'admin').map((e) => e.userId);
    for (const destination of new Set(p.alertDestinations(config, admins))) out.push({ channel: p.name as AlertChannel, destination });
  }
  return out;
}
