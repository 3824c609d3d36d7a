import type { ChatPlatformDescriptor } from '../platform-descriptor.ts';

/** Telegram through telegraf: long polling, or POST /webhooks/telegram when TELEGRAM_WEBHOOK_URL is set. */
export const telegramPlatform: ChatPlatformDescriptor<'telegram'> = {
  name: 'telegram',
  label: 'Telegram',
  userId: { pattern: /^[1-9][0-9]{0,15}$/, example: 'telegram:123456789=admin' },
  enabled: (config) => Boolean(config.TELEGRAM_BOT_TOKEN),
  exclusive: (config) => !config.TELEGRAM_WEBHOOK_URL,
  secrets: (config) => [config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET],
  // Without configured chats, an admin's user id is their private chat with the bot.
  alertDestinations: (config, admins) => (config.TELEGRAM_ALERT_CHAT_IDS.length > 0 ? config.TELEGRAM_ALERT_CHAT_IDS : [...admins]),
  // About one message a second in a chat and 20 a minute in a group (negative ids): more earns 429s and bans.
  pacing: (destination) => (destination.startsWith('-') ? { minIntervalMs: 1_000, window: { count: 20, ms: 60_000 } } : { minIntervalMs: 1_000 }),
  async create(ctx) {
    const { config } = ctx;
    if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
      throw new Error('TELEGRAM_WEBHOOK_SECRET: webhook mode (TELEGRAM_WEBHOOK_URL set) requires a secret token');
    }
    const { createTelegramChat } = await import('./telegram-chat.ts');
    return createTelegramChat({
      token: config.TELEGRAM_BOT_TOKEN!,
      apiRoot: config.TELEGRAM_API_ROOT,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      router: ctx.router,
      logger: ctx.logger,
      payloads: ctx.payloads,
      interimAfterMs: ctx.timing.interimAfterMs,
      minEditIntervalMs: ctx.timing.minEditIntervalMs,
    });
  },
};
