import type { Logger } from 'pino';
import { ExecutionError } from '../../ports/execution.ts';
import type { ErrorMapper } from './error-mapping.ts';

/**
 * Bounded retries for idempotent calls (reads, cancels, leverage): transient failures — network
 * errors, 5xx, rate limits — are retried `backoffMs.length` times with that backoff, honouring the
 * server's Retry-After when it sends one. Order creation never comes through here.
 */
export interface RetryPolicy {
  /** Wait before retry n (one entry per retry): default 1 s, 2 s, 5 s, 10 s. */
  backoffMs: readonly number[];
  /** A Retry-After longer than this is not waited out: the call fails at once with retryAt set. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000];

export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    backoffMs: overrides.backoffMs ?? DEFAULT_BACKOFF_MS,
    maxRetryAfterMs: overrides.maxRetryAfterMs ?? 60_000,
    sleep: overrides.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
}

export interface ReadRetryContext {
  op: string;
  mapper: ErrorMapper;
  policy: RetryPolicy;
  logger: Logger;
}

/**
 * Run `fn`, retrying transient failures. Throws the mapped ExecutionError when the failure is not
 * transient or the retries are used up. A `not-found` failure is thrown as the mapped error too;
 * callers that expect it (fetchOrder) test `isNotFound` via `onNotFound`.
 */
export async function withReadRetries<T>(ctx: ReadRetryContext, fn: () => Promise<T>, onNotFound?: () => T | Promise<T>): Promise<T> {
  const { policy, mapper, logger, op } = ctx;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      // Already decided (the request gate refused to send while paused or banned): pass it on.
      if (err instanceof ExecutionError) throw err;
      const f = mapper.classify(err);
      if (f.kind === 'not-found' && onNotFound) return onNotFound();
      const transient = f.kind === 'network' || f.kind === 'rate-limit';
      if (!transient || attempt >= policy.backoffMs.length) {
        if (transient) logger.warn({ op, attempts: attempt + 1, error: `${f.className}: ${f.reason}` }, 'exchange call failed after retries');
        throw mapper.toExecutionError(f, op, 'read');
      }
      if (f.retryAfterMs !== undefined && f.retryAfterMs > policy.maxRetryAfterMs) {
        logger.warn({ op, retryAfterMs: f.retryAfterMs, error: `${f.className}: ${f.reason}` }, 'exchange asked to wait longer than allowed; not retrying');
        throw mapper.toExecutionError(f, op, 'read');
      }
      // The server's Retry-After is an instruction; our own backoff applies when it gives none.
      const delayMs = f.retryAfterMs ?? policy.backoffMs[attempt]!;
      logger.warn({ op, attempt: attempt + 1, retries: policy.backoffMs.length, delayMs, error: `${f.className}: ${f.reason}` }, 'exchange call failed; retrying');
      await policy.sleep(delayMs);
    }
  }
}
