import type { ChatUsers } from '../../commands/users.ts';
import type { Config } from '../config.ts';
import type { AlertChannel } from './alert.ts';

/** Where alerts of one channel go: a chat id, channel id, `webhook`, `dm:<user id>` or LINE user/group id. */
export interface AlertDestination {
  channel: AlertChannel;
  destination: string;
}

type DestinationConfig = Pick<Config, 'TELEGRAM_ALERT_CHAT_IDS' | 'DISCORD_ALERT_CHANNEL_ID' | 'DISCORD_WEBHOOK_URL' | 'LINE_ALERT_TO'>;

/**
 * Alert destinations per enabled channel: the configured ones (TELEGRAM_ALERT_CHAT_IDS,
 * DISCORD_ALERT_CHANNEL_ID, else DISCORD_WEBHOOK_URL as `webhook`, LINE_ALERT_TO); a channel with
 * none configured falls back to its admins' direct chats from CHAT_USERS — on Telegram and LINE a
 * user id is the private chat; on Discord it is `dm:<user id>` (the sender opens the DM channel).
 */
export function alertDestinations(config: DestinationConfig, users: ChatUsers, enabled: readonly AlertChannel[]): AlertDestination[] {
  const out: AlertDestination[] = [];
  const admins = (channel: AlertChannel) => users.entries.filter((e) => e.platform === channel && e.role === 'admin').map((e) => e.userId);
  const add = (channel: AlertChannel, list: string[]) => {
    for (const destination of new Set(list)) out.push({ channel, destination });
  };
  if (enabled.includes('telegram')) {
    add('telegram', config.TELEGRAM_ALERT_CHAT_IDS.length > 0 ? config.TELEGRAM_ALERT_CHAT_IDS : admins('telegram'));
  }
  if (enabled.includes('discord')) {
    if (config.DISCORD_ALERT_CHANNEL_ID) add('discord', [config.DISCORD_ALERT_CHANNEL_ID]);
    else if (config.DISCORD_WEBHOOK_URL) add('discord', ['webhook']);
    else add('discord', admins('discord').map((id) => `dm:${id}`));
  }
  if (enabled.includes('line')) {
    add('line', config.LINE_ALERT_TO.length > 0 ? config.LINE_ALERT_TO : admins('line'));
  }
  return out;
}
