import type { ChatPlatformDescriptor } from '../platform-descriptor.ts';

/** LINE through @line/bot-sdk: POST /webhooks/line (signed), replies by reply token, then pushes. */
export const linePlatform: ChatPlatformDescriptor<'line'> = {
  name: 'line',
  label: 'LINE',
  userId: { pattern: /^U[0-9a-f]{32}$/, example: 'line:U4af4980629abcdef0123456789abcdef=viewer' },
  enabled: (config) => Boolean(config.LINE_CHANNEL_SECRET && config.LINE_CHANNEL_ACCESS_TOKEN),
  secrets: (config) => [config.LINE_CHANNEL_SECRET, config.LINE_CHANNEL_ACCESS_TOKEN],
  // A user id is also that user's chat with the bot.
  alertDestinations: (config, admins) => (config.LINE_ALERT_TO.length > 0 ? config.LINE_ALERT_TO : [...admins]),
  // LINE's push limit is per channel and high; a modest pace keeps bursts readable.
  pacing: () => ({ minIntervalMs: 250 }),
  async create(ctx) {
    const { config } = ctx;
    const { createLineChat } = await import('./line-chat.ts');
    return createLineChat({
      channelSecret: config.LINE_CHANNEL_SECRET!,
      channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN!,
      apiUrl: config.LINE_API_URL,
      router: ctx.router,
      logger: ctx.logger,
      payloads: ctx.payloads,
      chartLinks: ctx.chartLinks,
      interimAfterMs: ctx.timing.interimAfterMs,
    });
  },
};
