import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsRecorder } from '../../ports/metrics.ts';

/** The process's metrics: the registry (one per process) and the recorder the rest of the code calls. */
export interface PrometheusMetrics extends MetricsRecorder {
  readonly registry: Registry;
}

/**
 * Every series name lives here or in trading-gauges.ts. Node's standard process and runtime metrics
 * keep their usual names (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, …) so stock
 * Node dashboards work; everything tradeops adds starts with `tradeops_`, counters end in `_total`,
 * durations are histograms in seconds.
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];

  const commands = new Counter({ name: 'tradeops_chat_commands_total', help: 'Chat commands handled, by platform, command and outcome', labelNames: ['platform', 'command', 'outcome'], registers: r });
  const ticks = new Counter({ name: 'tradeops_engine_ticks_total', help: 'Engine ticks run, by result', labelNames: ['result'], registers: r });
  const tickDuration = new Histogram({ name: 'tradeops_engine_tick_duration_seconds', help: 'Time one engine tick took', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: r });
  const tickLag = new Histogram({ name: 'tradeops_engine_tick_lag_seconds', help: 'How late a tick started after its cron slot', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10], registers: r });
  const exchangeLatency = new Histogram({ name: 'tradeops_exchange_request_duration_seconds', help: 'Exchange request latency by operation', labelNames: ['operation'], buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: r });
  const exchangeErrors = new Counter({ name: 'tradeops_exchange_errors_total', help: 'Failed exchange requests by operation and error kind', labelNames: ['operation', 'kind'], registers: r });
  const webhooks = new Counter({ name: 'tradeops_webhook_requests_total', help: 'Webhook requests by route and outcome', labelNames: ['route', 'outcome'], registers: r });
  const backtests = new Counter({ name: 'tradeops_backtest_jobs_total', help: 'Backtest jobs finished, by outcome', labelNames: ['outcome'], registers: r });
  const backtestDuration = new Histogram({ name: 'tradeops_backtest_duration_seconds', help: 'Backtest job duration', buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900], registers: r });
  const alerts = new Counter({ name: 'tradeops_alert_deliveries_total', help: 'Alert delivery attempts by platform and outcome', labelNames: ['platform', 'outcome'], registers: r });
  const refusals = new Counter({ name: 'tradeops_http_refused_total', help: 'Requests refused by the HTTP hardening, by route and reason', labelNames: ['route', 'reason'], registers: r });
  const chatLimited = new Counter({
    name: 'tradeops_chat_rate_limited_total',
    help: 'Chat messages over the command rate limit, by platform; outcome=replied (one "slow down" per user per window) or dropped',
    labelNames: ['platform', 'outcome'],
    registers: r,
  });
  const alertMessages = new Counter({ name: 'tradeops_alert_messages_total', help: 'Alert messages sent, by platform and kind (critical, single, digest)', labelNames: ['platform', 'kind'], registers: r });
  const alertsDelivered = new Counter({ name: 'tradeops_alerts_delivered_total', help: 'Alerts delivered alone or inside a digest, by platform', labelNames: ['platform'], registers: r });
  const alertWait = new Histogram({ name: 'tradeops_alert_wait_seconds', help: 'How long the oldest alert of a sent message waited in the outbox', labelNames: ['platform'], buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: r });
  const bans = new Counter({ name: 'tradeops_http_ip_bans_total', help: 'Addresses banned after repeated failed authentication', registers: r });

  return {
    registry,
    command: (platform, command, outcome) => commands.inc({ platform, command, outcome }),
    tick(durationSeconds, lagSeconds, ok) {
      ticks.inc({ result: ok ? 'ok' : 'failed' });
      tickDuration.observe(durationSeconds);
      tickLag.observe(Math.max(0, lagSeconds));
    },
    exchangeRequest(operation, durationSeconds, errorKind) {
      exchangeLatency.observe({ operation }, durationSeconds);
      if (errorKind) exchangeErrors.inc({ operation, kind: errorKind });
    },
    webhook: (route, outcome) => webhooks.inc({ route, outcome }),
    backtestJob(outcome, durationSeconds) {
      backtests.inc({ outcome });
      backtestDuration.observe(durationSeconds);
    },
    alertDelivery: (platform, outcome) => alerts.inc({ platform, outcome }),
    chatRateLimited: (platform, replied) => chatLimited.inc({ platform, outcome: replied ? 'replied' : 'dropped' }),
    alertMessage(platform, kind, count, waitedSeconds) {
      alertMessages.inc({ platform, kind });
      alertsDelivered.inc({ platform }, count);
      alertWait.observe({ platform }, waitedSeconds);
    },
    httpRefusal(route, reason) {
      if (reason === 'ban_started') bans.inc();
      else refusals.inc({ route, reason });
    },
  };
}
