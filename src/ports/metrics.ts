/**
 * What the process reports to monitoring, as plain calls. Commands, alerts, the engine and the
 * exchange adapter record through this port and never see prom-client; the Prometheus adapter
 * (src/adapters/metrics/prometheus.ts) owns the registry and every series name.
 */
export interface MetricsRecorder {
  /** A chat command finished: `outcome` is ok | denied | invalid | rate_limited | error | confirm. */
  command(platform: string, command: string, outcome: string): void;
  /** One engine tick: how long it ran, how late it started against its cron slot, whether it failed. */
  tick(durationSeconds: number, lagSeconds: number, ok: boolean): void;
  /** One request to the exchange; `errorKind` (network, rate_limit, auth, rejected, …) when it failed. */
  exchangeRequest(operation: string, durationSeconds: number, errorKind?: string): void;
  /** One request to a webhook route and how it ended (accepted, duplicate, unauthorized, …). */
  webhook(route: string, outcome: string): void;
  /** One backtest job ended (`ok` | `failed` | `cancelled`). */
  backtestJob(outcome: string, durationSeconds: number): void;
  /** One alert delivery attempt to a chat platform (`sent` | `failed` | `deferred`). */
  alertDelivery(platform: string, outcome: string): void;
  /** A user went over the chat command rate limit: `replied` once per window, the rest dropped unanswered. */
  chatRateLimited(platform: string, replied: boolean): void;
  /** One alert message reached a chat: a `critical` one, a `single` one or a `digest` of `alerts` alerts; how long its oldest waited. */
  alertMessage(channel: string, kind: 'critical' | 'single' | 'digest', alerts: number, waitedSeconds: number): void;
  /** The HTTP hardening refused a request (`banned`, `rate_limited`, `too_large`, `timeout`, `bad_signature`) or started a ban. */
  httpRefusal(route: string, reason: string): void;
}

/** Records nothing: for tests and CLI commands that have no /metrics. */
export const noMetrics: MetricsRecorder = {
  command() {},
  tick() {},
  exchangeRequest() {},
  webhook() {},
  backtestJob() {},
  alertDelivery() {},
  chatRateLimited() {},
  alertMessage() {},
  httpRefusal() {},
};
