/** How fast one destination may be sent to (each platform's descriptor says, per destination). */
export interface PacingRule {
  /** Minimum gap between two messages. */
  minIntervalMs: number;
  /** At most `count` messages in any `ms`. */
  window?: { count: number; ms: number };
}

/** Used when no pacing is given for a destination: one message a second. */
export const DEFAULT_PACING: PacingRule = { minIntervalMs: 1_000 };

/** The pace of one destination: when the next message may go, given what was sent. */
export class Pacer {
  private last = Number.NEGATIVE_INFINITY;
  private readonly recent: number[] = [];

  constructor(private readonly rule: PacingRule) {}

  nextAllowedAt(now: number): number {
    let at = Math.max(now, this.last + this.rule.minIntervalMs);
    const w = this.rule.window;
    if (w) {
      while (this.recent.length > 0 && this.recent[0]! <= now - w.ms) this.recent.shift();
      if (this.recent.length >= w.count) at = Math.max(at, this.recent[this.recent.length - w.count]! + w.ms);
    }
    return at;
  }

  /** An attempt was made at `at` (failed attempts use the platform's budget too). */
  record(at: number): void {
    this.last = at;
    if (this.rule.window) {
      this.recent.push(at);
      if (this.recent.length > this.rule.window.count) this.recent.shift();
    }
  }
}

/** The outbox's pacing from platform descriptors: each platform's rule for its destinations. */
export function pacingOf(platforms: ReadonlyArray<{ readonly name: string; pacing(destination: string): PacingRule }>): (channel: string, destination: string) => PacingRule {
  return (channel, destination) => platforms.find((p) => p.name === channel)?.pacing(destination) ?? DEFAULT_PACING;
}
