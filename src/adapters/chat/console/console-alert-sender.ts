import type { Alert, AlertSender } from '../../../alerts/alert.ts';
import { renderText } from '../render/text.ts';

/** The console's one alert destination. */
export const CONSOLE_DESTINATION = 'console';

/**
 * Alerts on the terminal: the operator at the console is an admin and sees what the admins see.
 * Each alert is written in one call so it never interleaves with a command's answer.
 */
export function createConsoleAlertSender(output: NodeJS.WritableStream, now: () => number = Date.now): AlertSender {
  return {
    channel: 'console',
    async send(_destination: string, alert: Alert): Promise<void> {
      const mark = alert.severity === 'critical' ? '‼ ALERT' : alert.severity === 'warning' ? '! alert' : '• alert';
      const stamp = new Date(alert.createdAt || now()).toISOString().slice(11, 19);
      output.write(`${mark} ${stamp} UTC  ${renderText(alert.body).replace(/\n/g, '\n  ')}\n`);
    },
  };
}
