/**
 * Counters the command core and the alert outbox report to (`/metrics`). The composition root passes
 * the Prometheus implementation (src/adapters/http/chat-metrics.ts); tests pass their own or none.
 */
export interface ChatMetrics {
  /** A command was handled: `decision` is the audit decision (allowed, refused, rate_limited, …). */
  command(platform: string, decision: string): void;
  /** A user went over the command rate limit: `replied` once per window, the rest dropped unanswered. */
  rateLimited(platform: string, replied: boolean): void;
  /** One message went to a chat: `alerts` it stood for (a digest stands for many), how long the oldest waited. */
  alertSent(channel: string, info: { critical: boolean; alerts: number; waitedMs: number }): void;
}

export const NO_CHAT_METRICS: ChatMetrics = {
  command() {},
  rateLimited() {},
  alertSent() {},
};
