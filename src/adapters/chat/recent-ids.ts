/**
 * A bounded memory of delivery ids seen recently (Telegram update_id, Discord interaction id, LINE
 * webhookEventId). It stops a redelivery before any platform side effect (a deferral, a "queued"
 * message); the router's persisted dedupe still catches redeliveries across a restart.
 */
export class RecentIds {
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly max = 10_000, private readonly ttlMs = 3_600_000, private readonly now: () => number = Date.now) {}

  /** True when `id` was already seen (and not expired); otherwise records it and returns false. */
  checkAndAdd(id: string): boolean {
    const t = this.now();
    const at = this.seenAt.get(id);
    if (at !== undefined && t - at < this.ttlMs) return true;
    this.seenAt.delete(id);
    this.seenAt.set(id, t);
    while (this.seenAt.size > this.max) this.seenAt.delete(this.seenAt.keys().next().value as string);
    return false;
  }
}
