import type { Telegram } from 'telegraf';
import type { Alert, AlertSender } from '../../../alerts/alert.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { mapTelegramError } from './telegram-errors.ts';
import { sendTelegramReply } from './telegram-send.ts';

/**
 * Alerts to Telegram chats. A silent alert goes out with disable_notification; a 429 becomes
 * RetryLaterError at now + retry_after, a bad chat or a blocked bot PermanentDeliveryError.
 */
export function createTelegramAlertSender(telegram: Telegram, payloads: ButtonPayloads, now: () => number = Date.now): AlertSender {
  return {
    channel: 'telegram',
    async send(destination: string, alert: Alert): Promise<void> {
      try {
        await sendTelegramReply(telegram, destination, alert.body, { payloads, silent: alert.silent });
      } catch (err) {
        throw mapTelegramError(err, now());
      }
    },
  };
}
