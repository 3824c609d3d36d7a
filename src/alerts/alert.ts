import type { Reply } from '../../commands/reply.ts';
import type { ChatPlatformName } from '../chat-platforms.ts';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertLevel = 'on' | 'silent' | 'off';
/** Every chat platform is an alert channel (src/chat-platforms.ts). */
export type AlertChannel = ChatPlatformName;

/** An alert as stored in the outbox and handed to a channel sender. */
export interface Alert {
  type: string;
  severity: AlertSeverity;
  /** Rendered by the channel like a command reply. */
  body: Reply;
  /** Deliver without a notification sound where the platform allows it. */
  silent: boolean;
  createdAt: number;
  /** Kind of alert within its type (e.g. `fill`); kept for callers that group alerts. */
  coalesceKey?: string;
  /** Delivery class; unset = derived by alertPriority() (src/alerts/priority.ts). */
  priority?: 'critical' | 'normal';
  /** Wall time the alert entered the outbox (createdAt may be market time); set by the fan-out. */
  queuedAt?: number;
}

/** Thrown by a sender when the platform asked us to slow down; the outbox waits until `retryAt`. */
export class RetryLaterError extends Error {
  constructor(readonly retryAt: number, message = 'rate limited by the platform') {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Thrown by a sender when the message can never be delivered (bad chat id, blocked bot): no retry. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** One platform's delivery of alerts to one destination (chat id, channel id, LINE user/group id). */
export interface AlertSender {
  readonly channel: AlertChannel;
  send(destination: string, alert: Alert): Promise<void>;
}
