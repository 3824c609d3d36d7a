import type { messagingApi } from '@line/bot-sdk';
import type { Alert, AlertSender } from '../../../alerts/alert.ts';
import type { ChartLinks } from '../../http/routes/chart-links.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { batches, renderLine } from '../render/line-messages.ts';
import { mapLineError } from './line-errors.ts';
import { pushWithRetryKey, retryKeyFor } from './line-send.ts';

/**
 * Alerts to LINE users and groups by push. Each batch carries a retry key derived from the alert, so
 * the outbox resending the same alert is idempotent on LINE's side; a 429 → RetryLaterError.
 */
export function createLineAlertSender(
  client: messagingApi.MessagingApiClient,
  payloads: ButtonPayloads,
  chartLinks: ChartLinks | undefined,
  now: () => number = Date.now,
): AlertSender {
  return {
    channel: 'line',
    async send(destination: string, alert: Alert): Promise<void> {
      const messages = renderLine(alert.body, { payloads, imageUrl: (image) => chartLinks?.create(image.path) });
      const identity = JSON.stringify([alert.type, alert.createdAt, alert.coalesceKey ?? '', alert.body.title ?? '', alert.body.text ?? []]);
      try {
        for (const [i, part] of batches(messages).entries()) {
          await pushWithRetryKey(client, { to: destination, messages: part, notificationDisabled: alert.silent }, retryKeyFor(destination, identity, String(i)), 1);
        }
      } catch (err) {
        throw mapLineError(err, now());
      }
    },
  };
}
