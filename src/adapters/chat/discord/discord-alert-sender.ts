import type { REST } from 'discord.js';
import type { Alert, AlertSender } from '../../../alerts/alert.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { mapDiscordError } from './discord-errors.ts';
import { prepareDiscordMessage } from './discord-send.ts';

const SUPPRESS_NOTIFICATIONS = 1 << 12;

/** `https://discord.com/api/webhooks/{id}/{token}` (any host) → id and token. */
export function parseWebhookUrl(url: string): { id: string; token: string } | undefined {
  const m = /\/webhooks\/(\d+)\/([A-Za-z0-9_.-]+)\/?(?:\?.*)?$/.exec(url);
  return m ? { id: m[1], token: m[2] } : undefined;
}

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
 * Alerts to Discord: a channel id → a bot message in that channel; `webhook` or a webhook URL →
 * the channel webhook (no buttons: plain webhooks drop components). Silent alerts suppress the
 * notification. Errors are mapped by mapDiscordError.
 */
export function createDiscordAlertSender(options: DiscordAlertSenderOptions): AlertSender {
  const now = options.now ?? Date.now;
  return {
    channel: 'discord',
    async send(destination: string, alert: Alert): Promise<void> {
      const { body, files } = await prepareDiscordMessage(alert.body, options.payloads);
      const message = { ...body, flags: alert.silent ? SUPPRESS_NOTIFICATIONS : undefined };
      try {
        if (/^\d+$/.test(destination)) {
          if (!options.hasToken) throw new Error('discord: channel alerts need DISCORD_BOT_TOKEN');
          await options.rest.post(`/channels/${destination}/messages`, { body: message, files: files.length ? files : undefined });
          return;
        }
        const hook = parseWebhookUrl(destination === 'webhook' ? (options.webhookUrl ?? '') : destination);
        if (!hook) throw new Error('discord: no webhook URL for this destination');
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
