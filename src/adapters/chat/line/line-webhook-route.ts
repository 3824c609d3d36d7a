import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validateSignature } from '@line/bot-sdk';
import type { Logger } from '../../../logger.ts';
import type { LineEvent } from './line-events.ts';

export const LINE_WEBHOOK_PATH = '/webhooks/line';

/**
 * POST /webhooks/line: the x-line-signature HMAC is checked over the raw body, read before any JSON
 * parsing (a re-serialised body would not match); a bad or missing signature → 401 and nothing is
 * processed. Valid requests are answered 200 at once and their events handled afterwards.
 */
export function mountLineWebhook(app: Hono, options: { channelSecret: string; logger: Logger; onEvents: (events: LineEvent[], receivedAt: number) => boolean; now?: () => number }): void {
  const now = options.now ?? Date.now;
  app.post(LINE_WEBHOOK_PATH, bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }), async (c) => {
    const receivedAt = now();
    const raw = await c.req.text();
    const signature = c.req.header('x-line-signature');
    if (!signature || !validateSignature(raw, options.channelSecret, signature)) return c.json({ error: 'invalid signature' }, 401);
    let events: LineEvent[];
    try {
      const body = JSON.parse(raw) as { events?: unknown };
      events = Array.isArray(body.events) ? (body.events as LineEvent[]) : [];
    } catch {
      return c.json({ error: 'bad json' }, 400);
    }
    // An empty events array is LINE's "Verify" button in the console: 200 is all it wants.
    // Shutting down: a non-2xx answer lets LINE redeliver (when redelivery is enabled for the channel).
    if (events.length > 0 && !options.onEvents(events, receivedAt)) return c.json({ error: 'stopping' }, 503);
    return c.json({ ok: true });
  });
}
