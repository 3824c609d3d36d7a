import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../../logger.ts';
import { safeEqual } from '../secret-compare.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/**
 * POST /webhooks/telegram: checks X-Telegram-Bot-Api-Secret-Token in constant time (missing or
 * wrong → 401, nothing parsed; the HTTP layer counts every 401 towards a temporary ban of the address), answers 200 at once and hands the update to `onUpdate` for
 * background processing — Telegram waits for the response and retries slow ones. `onUpdate` returns
 * false while the bot is stopping: 503, and Telegram redelivers later.
 */
export function mountTelegramWebhook(app: Hono, options: { secret: string; logger: Logger; onUpdate: (update: Update) => boolean }): void {
  if (!options.secret) throw new Error('Telegram webhook mode needs TELEGRAM_WEBHOOK_SECRET');
  app.post(TELEGRAM_WEBHOOK_PATH, bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }), async (c) => {
    const given = c.req.header('x-telegram-bot-api-secret-token');
    if (given === undefined || given === '' || !safeEqual(given, options.secret)) return c.json({ error: 'invalid secret token' }, 401);
    let update: Update;
    try {
      update = (await c.req.json()) as Update;
    } catch {
      return c.json({ error: 'bad json' }, 400);
    }
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') return c.json({ error: 'not an update' }, 400);
    // Shutting down: a non-2xx answer makes Telegram deliver the update again later.
    if (!options.onUpdate(update)) return c.json({ error: 'stopping' }, 503);
    return c.json({ ok: true });
  });
}
