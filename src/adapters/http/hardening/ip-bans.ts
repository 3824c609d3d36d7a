/**
 * Temporary bans of addresses that keep failing authentication: `after` failures within `windowMs`
 * ban the address for `banMs`. Nothing a banned address sends is parsed or processed.
 */
export class IpBans {
  private readonly failures = new Map<string, number[]>();
  private readonly banned = new Map<string, number>();

  constructor(private readonly o: { after: number; windowMs: number; banMs: number; now?: () => number; maxKeys?: number }) {}

  private now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  /** Seconds left on the ban of `ip`, or 0 when it is not banned. */
  bannedFor(ip: string): number {
    const until = this.banned.get(ip);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.banned.delete(ip);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  /** Count one failed authentication; returns true when this failure starts a ban. */
  fail(ip: string): boolean {
    const t = this.now();
    const recent = (this.failures.get(ip) ?? []).filter((at) => t - at < this.o.windowMs);
    recent.push(t);
    if (recent.length >= this.o.after) {
      this.failures.delete(ip);
      this.banned.set(ip, t + this.o.banMs);
      return true;
    }
    if (!this.failures.has(ip) && this.failures.size >= (this.o.maxKeys ?? 50_000)) this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(ip, recent);
    return false;
  }

  /** Addresses banned right now. */
  list(): string[] {
    return [...this.banned.keys()].filter((ip) => this.bannedFor(ip) > 0);
  }
}
