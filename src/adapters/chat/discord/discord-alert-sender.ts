import type { REST } from 'discord.js';
import { type Alert, type AlertSender, PermanentDeliveryError } from '../../../alerts/alert.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { mapDiscordError } from './discord-errors.ts';
import { prepareDiscordMessage } from './discord-send.ts';
import { parseWebhookUrl } from './webhook-url.ts';

const SUPPRESS_NOTIFICATIONS = 1 << 12;

export { parseWebhookUrl } from './webhook-url.ts';

export interface DiscordAlertSenderOptions {
  /** A REST whose rate limits reject (`rejectOnRateLimit`) rather than wait, so the outbox sees them. */
  rest: REST;
  payloads: ButtonPayloads;
  /** Channel webhook URL (DISCORD_WEBHOOK_URL), used for the destination `webhook` or a webhook URL. */
  webhookUrl?: string;
  /** Whether the REST has a bot token (channel messages need one). */
  hasToken: boolean;
  now?: () => number;
}

/**
 * Alerts to Discord: a channel id → a bot message in that channel; `dm:<user id>` → a direct message
 * (the DM channel is opened once); `webhook` or a webhook URL → the channel webhook (no buttons:
 * plain webhooks drop components). Silent alerts suppress the notification. Errors are mapped by
 * mapDiscordError.
 */
export function createDiscordAlertSender(options: DiscordAlertSenderOptions): AlertSender {
  const now = options.now ?? Date.now;
  /** DM channel of each user, opened once (POST /users/@me/channels returns the existing one anyway). */
  const dmChannels = new Map<string, string>();
  const dmChannel = async (userId: string): Promise<string> => {
    let id = dmChannels.get(userId);
    if (!id) {
      const channel = (await options.rest.post('/users/@me/channels', { body: { recipient_id: userId } })) as { id: string };
      id = channel.id;
      dmChannels.set(userId, id);
    }
    return id;
  };
  return {
    channel: 'discord',
    async send(destination: string, alert: Alert): Promise<void> {
      const { body, files } = await prepareDiscordMessage(alert.body, options.payloads);
      const message = { ...body, flags: alert.silent ? SUPPRESS_NOTIFICATIONS : undefined };
      try {
        const dm = /^dm:(\d+)$/.exec(destination)?.[1];
        if (/^\d+$/.test(destination) || dm) {
          if (!options.hasToken) throw new PermanentDeliveryError('discord: channel and direct-message alerts need DISCORD_BOT_TOKEN');
          const channel = dm ? await dmChannel(dm) : destination;
          await options.rest.post(`/channels/${channel}/messages`, { body: message, files: files.length ? files : undefined });
          return;
        }
        const hook = parseWebhookUrl(destination === 'webhook' ? (options.webhookUrl ?? '') : destination);
        if (!hook) throw new PermanentDeliveryError(`discord: no webhook URL for the destination "${destination.slice(0, 40)}"`);
        await options.rest.post(`/webhooks/${hook.id}/${hook.token}`, {
          body: { ...message, components: undefined },
          files: files.length ? files : undefined,
          query: new URLSearchParams({ wait: 'true' }),
          auth: false,
        });
      } catch (err) {
        throw mapDiscordError(err, now());
      }
    },
  };
}
