import type { AlertChannel } from './alert.ts';

/** How fast one destination may be sent to. */
export interface PacingRule {
  /** Minimum gap between two messages. */
  minIntervalMs: number;
  /** At most `count` messages in any `ms`. */
  window?: { count: number; ms: number };
}

/**
 * Platform limits, per destination. Telegram: about one message a second in a chat and 20 a minute
 * in a group (negative chat ids) — exceeding them earns 429s and, persistently, bans. Discord: 5 per
 * 5 s per channel. LINE's push limit is per channel and high; a modest pace keeps bursts readable.
 */
export function defaultPacing(channel: AlertChannel, destination: string): PacingRule {
  switch (channel) {
    case 'telegram':
      return destination.startsWith('-') ? { minIntervalMs: 1_000, window: { count: 20, ms: 60_000 } } : { minIntervalMs: 1_000 };
    case 'discord':
      return { minIntervalMs: 0, window: { count: 5, ms: 5_000 } };
    case 'line':
      return { minIntervalMs: 250 };
  }
}

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
