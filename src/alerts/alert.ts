import type { Reply } from '../../commands/reply.ts';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertLevel = 'on' | 'silent' | 'off';
export type AlertChannel = 'telegram' | 'discord' | 'line';

/** An alert as stored in the outbox and handed to a channel sender. */
export interface Alert {
  type: string;
  severity: AlertSeverity;
  /** Rendered by the channel like a command reply. */
  body: Reply;
  /** Deliver without a notification sound where the platform allows it. */
  silent: boolean;
  createdAt: number;
  /** Non-critical alerts of the same key within a short window may be coalesced into one message. */
  coalesceKey?: string;
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
