import type { ChatPlatformDescriptor } from '../platform-descriptor.ts';
import { parseWebhookUrl } from './webhook-url.ts';

/** Discord through discord.js: slash commands over the gateway and/or POST /interactions/discord. */
export const discordPlatform: ChatPlatformDescriptor<'discord'> = {
  name: 'discord',
  label: 'Discord',
  userId: { pattern: /^[1-9][0-9]{15,19}$/, example: 'discord:80351110224678912=trader' },
  enabled: (config) => Boolean(config.DISCORD_BOT_TOKEN || config.DISCORD_PUBLIC_KEY || config.DISCORD_WEBHOOK_URL),
  exclusive: (config) => Boolean(config.DISCORD_GATEWAY && config.DISCORD_BOT_TOKEN),
  // REST error messages carry the webhook path (`/v10/webhooks/{id}/{token}`), not the configured URL.
  secrets: (config) => [config.DISCORD_BOT_TOKEN, config.DISCORD_WEBHOOK_URL, parseWebhookUrl(config.DISCORD_WEBHOOK_URL ?? '')?.token],
  alertDestinations(config, admins) {
    if (config.DISCORD_ALERT_CHANNEL_ID) return [config.DISCORD_ALERT_CHANNEL_ID];
    if (config.DISCORD_WEBHOOK_URL) return ['webhook'];
    // The sender opens the admin's DM channel.
    return admins.map((id) => `dm:${id}`);
  },
  // 5 messages per 5 s per channel.
  pacing: () => ({ minIntervalMs: 0, window: { count: 5, ms: 5_000 } }),
  async create(ctx) {
    const { config } = ctx;
    const { createDiscordChat } = await import('./discord-chat.ts');
    const d = createDiscordChat({
      token: config.DISCORD_BOT_TOKEN,
      appId: config.DISCORD_APP_ID,
      publicKey: config.DISCORD_PUBLIC_KEY,
      guildId: config.DISCORD_GUILD_ID,
      apiUrl: config.DISCORD_API_URL,
      gateway: config.DISCORD_GATEWAY,
      webhookUrl: config.DISCORD_WEBHOOK_URL,
      router: ctx.router,
      logger: ctx.logger,
      payloads: ctx.payloads,
      answerWithinMs: ctx.timing.answerWithinMs,
      minEditIntervalMs: ctx.timing.minEditIntervalMs,
    });
    // With a token the bot can post to the alert channel or open admins' DMs; a webhook needs no token.
    const canSend = Boolean(config.DISCORD_WEBHOOK_URL || config.DISCORD_BOT_TOKEN);
    return { sender: canSend ? d.sender : undefined, deliver: (chatId, reply) => d.deliver(chatId, reply), mount: (app) => d.mount(app), start: () => d.start(), stop: () => d.stop() };
  },
};
