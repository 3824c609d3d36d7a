import { ExecutionError } from '../ports/execution.ts';
import type { Clock } from '../ports/clock.ts';

export interface VenueRetryPolicy {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Calls after the first one before the error is thrown (default 6). */
  maxAttempts?: number;
  /** Longest single wait, whatever Retry-After says (default 30 s). */
  maxWaitMs?: number;
}

/**
 * Run a venue call; a rate limit (or an unknown outcome) waits its Retry-After, or 250 ms doubling
 * without one, and goes again (bounded attempts). `notFoundOk`: a refusal (e.g. the cancel of an order
 * already gone) answers undefined instead of throwing.
 */
export async function withRetryAfter<T>(fn: () => Promise<T>, p: VenueRetryPolicy, notFoundOk: boolean): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ExecutionError && (err.kind === 'retryable' || err.kind === 'unknown-outcome') && attempt < (p.maxAttempts ?? 6)) {
        const wait = err.retryAt !== undefined ? err.retryAt - p.clock.now() : 250 * 2 ** attempt;
        await p.sleep(Math.max(0, Math.min(p.maxWaitMs ?? 30_000, wait)));
        continue;
      }
      if (notFoundOk && err instanceof ExecutionError && err.kind === 'rejected') return undefined;
      throw err;
    }
  }
}
