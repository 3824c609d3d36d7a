import type { Clock } from '../ports/clock.ts';

/**
 * Binance refuses a signed request whose timestamp is older than its receive window (10 s, as ccxt
 * sends it) when it arrives: 11 s after a request left, it can no longer be executed. Before that, a
 * lookup answered "no such order" may only mean the request still waits in the venue's queue — a
 * resend then could execute next to it (a market order is not open, so the venue accepts its
 * clientOrderId again).
 */
export const REQUEST_WINDOW_MS = 11_000;

/**
 * Look an order up after its request got no answer. Not at the venue before `until` (the request may
 * still be on its way): wait until then and look once more. `until` undefined: nothing can still
 * arrive, one lookup decides. Undefined: the venue has never seen the order. The order manager's
 * resends and kill-all's closes and external sells all look up through this.
 */
export async function lookUpAfterWindow<T>(
  fetch: () => Promise<T | undefined>,
  until: number | undefined,
  d: { clock: Clock; sleep: (ms: number) => Promise<void>; onWait?: (waitMs: number) => void },
): Promise<T | undefined> {
  const found = await fetch();
  if (found !== undefined || until === undefined) return found;
  const waitMs = until - d.clock.now();
  if (waitMs <= 0) return undefined;
  d.onWait?.(waitMs);
  await d.sleep(waitMs);
  return fetch();
}
