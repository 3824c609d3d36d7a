import { PermanentDeliveryError, RetryLaterError } from '../../../alerts/alert.ts';

interface HttpFetchErrorLike {
  status?: number;
  body?: string;
  headers?: { get(name: string): string | null };
}

/** Without a Retry-After header LINE gives no hint; wait this long before the next attempt. */
export const LINE_DEFAULT_RETRY_MS = 30_000;

export function lineStatus(err: unknown): number | undefined {
  const s = (err as HttpFetchErrorLike | undefined)?.status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Map an @line/bot-sdk HTTPFetchError for the outbox: 429 → RetryLaterError (Retry-After when sent,
 * else a default pause — the SDK has no 429 retry of its own); 400/401/403/404 (bad destination,
 * not a friend, invalid message) → PermanentDeliveryError; 5xx and network errors unchanged.
 */
export function mapLineError(err: unknown, now: number): unknown {
  const e = err as HttpFetchErrorLike;
  const status = lineStatus(err);
  if (status === 429) {
    const header = e.headers?.get('retry-after');
    const seconds = header && /^\d+(\.\d+)?$/.test(header.trim()) ? Number(header) : undefined;
    return new RetryLaterError(now + (seconds !== undefined ? Math.ceil(seconds * 1000) : LINE_DEFAULT_RETRY_MS), 'line: rate limited');
  }
  if (status === 400 || status === 403 || status === 404) return new PermanentDeliveryError(`line ${status}: ${(e.body ?? '').slice(0, 300)}`);
  return err;
}
