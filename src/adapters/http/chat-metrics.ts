import { Counter, Histogram, type Registry } from 'prom-client';
import type { ChatMetrics } from '../../ports/chat-metrics.ts';

/** Prometheus series for chat commands, rate limiting and alert delivery, on the process registry. */
export function createChatMetrics(registry: Registry): ChatMetrics {
  const commands = new Counter({ name: 'tradeops_chat_commands_total', help: 'Chat commands handled, by platform and audit decision', labelNames: ['platform', 'decision'], registers: [registry] });
  const limited = new Counter({
    name: 'tradeops_chat_rate_limited_total',
    help: 'Messages over the command rate limit, by platform; outcome=replied (one "slow down" per user per window) or dropped',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  const messages = new Counter({ name: 'tradeops_alert_messages_total', help: 'Alert messages sent, by channel and class (critical, single, digest)', labelNames: ['channel', 'kind'], registers: [registry] });
  const alerts = new Counter({ name: 'tradeops_alerts_delivered_total', help: 'Alerts delivered (alone or inside a digest), by channel', labelNames: ['channel'], registers: [registry] });
  const waited = new Histogram({
    name: 'tradeops_alert_wait_seconds',
    help: 'How long the oldest alert of a sent message waited in the outbox',
    labelNames: ['channel'],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  return {
    command: (platform, decision) => commands.inc({ platform, decision }),
    rateLimited: (platform, replied) => limited.inc({ platform, outcome: replied ? 'replied' : 'dropped' }),
    alertSent(channel, info) {
      messages.inc({ channel, kind: info.critical ? 'critical' : info.alerts > 1 ? 'digest' : 'single' });
      alerts.inc({ channel }, info.alerts);
      waited.observe({ channel }, info.waitedMs / 1000);
    },
  };
}
