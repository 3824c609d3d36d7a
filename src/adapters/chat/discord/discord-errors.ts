import { PermanentDeliveryError, RetryLaterError } from '../../../alerts/alert.ts';

interface RateLimitLike {
  name?: string;
  retryAfter?: number;
  timeToReset?: number;
}

interface ApiErrorLike {
  status?: number;
  code?: number | string;
  message?: string;
  rawError?: { retry_after?: number; message?: string };
}

/**
 * Map a discord.js REST failure for the alert outbox: a rate limit (RateLimitError, raised because
 * the sender's REST rejects on rate limits instead of waiting silently) or a 429 → RetryLaterError at
 * now + the wait Discord asked for; 400/403/404 (unknown channel or webhook, missing access, invalid
 * body) → PermanentDeliveryError; anything else unchanged for the outbox's backoff.
 */
export function mapDiscordError(err: unknown, now: number): unknown {
  const rl = err as RateLimitLike;
  if (typeof rl?.name === 'string' && rl.name.startsWith('RateLimitError')) {
    const wait = (rl.retryAfter ?? 0) > 0 ? rl.retryAfter! : (rl.timeToReset ?? 0) > 0 ? rl.timeToReset! : 1_000;
    return new RetryLaterError(now + wait, 'discord: rate limited');
  }
  const api = err as ApiErrorLike;
  if (api?.status === 429) {
    const seconds = Number(api.rawError?.retry_after ?? 1);
    return new RetryLaterError(now + Math.ceil(seconds * 1000), 'discord: rate limited');
  }
  if (api?.status === 400 || api?.status === 403 || api?.status === 404) {
    return new PermanentDeliveryError(`discord ${api.status}${api.code !== undefined ? ` (${api.code})` : ''}: ${api.rawError?.message ?? api.message ?? ''}`);
  }
  return err;
}
