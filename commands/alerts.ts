import { z } from 'zod';
import { ALERT_LEVELS, ALERT_TYPES } from '../src/alerts/alert-levels.ts';
import type { AlertChannel, AlertLevel } from '../src/alerts/alert.ts';
import { AppError } from '../src/domain/errors.ts';
import { choice, text } from './arg-types.ts';
import type { Command } from './command.ts';
import type { Reply } from './reply.ts';

const args = z.strictObject({
  type: choice(['all', ...ALERT_TYPES] as [string, ...string[]], 'alert type:').optional(),
  level: choice(ALERT_LEVELS as [AlertLevel, ...AlertLevel[]], 'level:').optional(),
  // The channels are the configured platforms (known at run time): checked against them in run().
  channel: text(32, 'a channel: all or a platform name, e.g. telegram').transform((s) => s.toLowerCase()).optional(),
});

export const alertsCommand: Command<typeof args> = {
  name: 'alerts',
  description:
    'Alert settings: with no arguments a table of every alert type per channel; TYPE LEVEL sets a type on, silent (no notification sound) or off, on every channel or one. Critical alerts are always delivered.',
  usage: '[TYPE on|silent|off [CHANNEL]]',
  examples: ['/alerts', '/alerts fill off', '/alerts strategy-message silent telegram', '/alerts all on'],
  positional: ['type', 'level', 'channel'],
  args,
  role: 'admin',
  async run(ctx, a): Promise<Reply> {
    const ops = ctx.chatOps;
    if (!ops) throw new AppError('UNAVAILABLE', 'alert settings are not available here');
    if (a.level !== undefined) {
      if (a.type === undefined) throw new AppError('BAD_REQUEST', 'TYPE is missing — usage: /alerts TYPE on|silent|off [CHANNEL]');
      const types = a.type === 'all' ? ops.alerts.types : [a.type];
      const channel = (a.channel === undefined || a.channel === 'all' ? '*' : a.channel) as AlertChannel | '*';
      if (channel !== '*' && !ops.alerts.channels.includes(channel)) {
        throw new AppError('BAD_REQUEST', `unknown channel "${a.channel}" — expected all or ${ops.alerts.channels.join(', ') || '(no channel is enabled)'}`);
      }
      for (const t of types) await ops.alerts.set(t, a.level, channel);
      const where = channel === '*' ? 'on every channel' : `on ${channel}`;
      return { title: 'Alerts updated', text: [`${a.type === 'all' ? 'All alerts are' : `${a.type} alerts are`} now ${a.level} ${where}.`], tone: 'success' };
    }
    if (a.channel !== undefined) throw new AppError('BAD_REQUEST', 'LEVEL is missing — usage: /alerts TYPE on|silent|off [CHANNEL]');
    const all = await ops.alerts.effective();
    const types = a.type === undefined || a.type === 'all' ? ops.alerts.types : [a.type];
    const channels = ops.alerts.channels;
    const cell = (type: string, channel: AlertChannel) => {
      const s = all.find((x) => x.type === type && x.channel === channel);
      return s ? `${s.level}${s.source === 'default' ? '' : '*'}` : '—';
    };
    return {
      title: 'Alert settings',
      text: ['* = set with /alerts; the rest are defaults. Critical alerts are always delivered.'],
      tables: [
        {
          columns: ['Type', ...channels],
          rows: types.map((t) => [t, ...channels.map((c) => cell(t, c))]),
          align: ['left', ...channels.map(() => 'left' as const)],
        },
      ],
    };
  },
};
