import { PermanentDeliveryError, RetryLaterError } from '../../../alerts/alert.ts';

/** The shape of telegraf's TelegramError (duck-typed so this file does not load telegraf). */
interface TelegramErrorLike {
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };
}

function details(err: unknown): { code?: number; description: string; retryAfter?: number } {
  const r = (err as TelegramErrorLike | undefined)?.response;
  if (!r || typeof r.error_code !== 'number') return { description: String((err as Error)?.message ?? err) };
  return { code: r.error_code, description: r.description ?? '', retryAfter: r.parameters?.retry_after };
}

/**
 * Map a Bot API failure to the outbox's delivery errors: 429 with `retry_after` → RetryLaterError
 * (Telegram does not retry for us); 400 (chat not found, bad request: resending cannot help) and 403
 * (bot blocked, kicked, user deactivated) → PermanentDeliveryError. Anything else (5xx, network) is
 * returned unchanged: the outbox retries it with backoff.
 */
export function mapTelegramError(err: unknown, now: number): unknown {
  const d = details(err);
  if (d.code === 429) return new RetryLaterError(now + Math.max(1, d.retryAfter ?? 5) * 1000, `telegram: ${d.description || 'too many requests'}`);
  if (d.code === 400 || d.code === 403) return new PermanentDeliveryError(`telegram ${d.code}: ${d.description}`);
  return err;
}

/** "message is not modified" comes back when a progress edit repeats the text: harmless. */
export function isNotModified(err: unknown): boolean {
  const d = details(err);
  return d.code === 400 && /message is not modified/i.test(d.description);
}
