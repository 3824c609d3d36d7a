/**
 * Token buckets keyed by a string (an IP, an IP and a route, a signal source). Each key gets
 * `perMinute` tokens refilled continuously and may burst up to `burst` (default: the per-minute
 * figure). The map is bounded: the oldest keys are dropped first, so a flood of distinct addresses
 * cannot grow memory without limit.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    options: { burst?: number; maxKeys?: number } = {},
  ) {
    this.burst = options.burst ?? perMinute;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  private readonly maxKeys: number;

  /** Take one token for `key`; returns 0 when allowed, else the seconds until a token is available. */
  take(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b) {
      b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) * this.perMinute) / 60_000);
      b.at = t;
      this.buckets.delete(key); // re-insert: Map order is the eviction order (least recently used first)
    } else {
      b = { tokens: this.burst, at: t };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.perMinute));
  }
}
