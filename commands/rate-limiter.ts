/**
 * Sliding-window rate limit per key: at most `limit` events in any `windowMs`. Each key keeps the
 * times of its accepted events (at most `limit` of them), so memory is bounded per active user;
 * idle keys are swept now and then.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a whole number ≥ 1, got ${limit}`);
  }

  /** Record an event if allowed; otherwise say how long until the oldest one leaves the window. */
  take(key: string, now: number): { ok: true } | { ok: false; retryInMs: number } {
    this.sweep(now);
    const since = now - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      this.events.set(key, list);
      return { ok: false, retryInMs: Math.max(1, list[0]! + this.windowMs - now) };
    }
    list.push(now);
    this.events.set(key, list);
    return { ok: true };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, list] of this.events) {
      if (list.length === 0 || list[list.length - 1]! <= now - this.windowMs) this.events.delete(key);
    }
  }
}
