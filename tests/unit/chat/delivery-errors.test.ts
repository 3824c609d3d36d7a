import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RetryLaterError } from '../../../src/alerts/alert.ts';
import { mapDiscordError } from '../../../src/adapters/chat/discord/discord-errors.ts';
import { LINE_DEFAULT_RETRY_MS, mapLineError } from '../../../src/adapters/chat/line/line-errors.ts';
import { mapTelegramError } from '../../../src/adapters/chat/telegram/telegram-errors.ts';

const now = 1_000_000;

describe('delivery error mapping', () => {
  it('Telegram: 429 → retry at now + retry_after; 400/403 → permanent; 5xx unchanged', () => {
    const e429 = mapTelegramError({ response: { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } }, now);
    expect(e429).toBeInstanceOf(RetryLaterError);
    expect((e429 as RetryLaterError).retryAt).toBe(now + 7000);
    expect(mapTelegramError({ response: { error_code: 400, description: 'Bad Request: chat not found' } }, now)).toBeInstanceOf(PermanentDeliveryError);
    expect(mapTelegramError({ response: { error_code: 403, description: 'Forbidden: bot was blocked by the user' } }, now)).toBeInstanceOf(PermanentDeliveryError);
    const e502 = { response: { error_code: 502, description: 'Bad Gateway' } };
    expect(mapTelegramError(e502, now)).toBe(e502);
  });

  it('Discord: RateLimitError and 429 → retry; 403/404 → permanent', () => {
    const rl = { name: 'RateLimitError[/channels/:id/messages]', retryAfter: 2050, timeToReset: 2050 };
    expect((mapDiscordError(rl, now) as RetryLaterError).retryAt).toBe(now + 2050);
    expect((mapDiscordError({ status: 429, rawError: { retry_after: 1.5 } }, now) as RetryLaterError).retryAt).toBe(now + 1500);
    expect(mapDiscordError({ status: 404, code: 10003, rawError: { message: 'Unknown Channel' } }, now)).toBeInstanceOf(PermanentDeliveryError);
    expect(mapDiscordError({ status: 403, code: 50001 }, now)).toBeInstanceOf(PermanentDeliveryError);
    const net = new Error('ECONNRESET');
    expect(mapDiscordError(net, now)).toBe(net);
  });

  it('LINE: 429 with or without Retry-After → retry; 400 → permanent; 500 unchanged', () => {
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
    expect((mapLineError({ status: 429, headers: headers({ 'retry-after': '9' }), body: '' }, now) as RetryLaterError).retryAt).toBe(now + 9000);
    expect((mapLineError({ status: 429, headers: headers({}), body: '' }, now) as RetryLaterError).retryAt).toBe(now + LINE_DEFAULT_RETRY_MS);
    expect(mapLineError({ status: 400, headers: headers({}), body: '{"message":"invalid to"}' }, now)).toBeInstanceOf(PermanentDeliveryError);
    const e500 = { status: 500, headers: headers({}), body: '' };
    expect(mapLineError(e500, now)).toBe(e500);
  });
});
