import { describe, expect, it } from 'vitest';
import { chatUsers } from '../../../commands/users.ts';
import { ALERT_TYPES, applyLevel, resolveLevel } from '../../../src/alerts/alert-levels.ts';
import { alertDestinations } from '../../../src/alerts/destinations.ts';
import { DOMAIN_EVENT_TYPES } from '../../../src/domain/events.ts';
import { discordPlatform } from '../../../src/adapters/chat/discord/platform.ts';
import { linePlatform } from '../../../src/adapters/chat/line/platform.ts';
import { telegramPlatform } from '../../../src/adapters/chat/telegram/platform.ts';
import { consolePlatform } from '../../../src/adapters/chat/console/platform.ts';
import type { Config } from '../../../src/config.ts';

describe('alert levels', () => {
  const stored = [
    { channel: '*', type: 'fill', level: 'off' as const },
    { channel: 'telegram', type: 'fill', level: 'on' as const },
    { channel: '*', type: 'exit', level: 'silent' as const },
  ];
  it('channel setting > all-channel setting > configured default > built-in > on', () => {
    expect(resolveLevel(stored, 'telegram', 'fill')).toEqual({ level: 'on', source: 'channel' });
    expect(resolveLevel(stored, 'line', 'fill')).toEqual({ level: 'off', source: 'all' });
    expect(resolveLevel(stored, 'line', 'exit')).toEqual({ level: 'silent', source: 'all' });
    expect(resolveLevel([], 'line', 'entry', { entry: 'off' })).toEqual({ level: 'off', source: 'default' });
    expect(resolveLevel([], 'line', 'fill')).toEqual({ level: 'silent', source: 'default' });
    expect(resolveLevel([], 'line', 'entry')).toEqual({ level: 'on', source: 'default' });
  });
  it('off drops an alert unless it is critical', () => {
    expect(applyLevel('off', 'warning')).toEqual({ deliver: false, silent: true });
    expect(applyLevel('off', 'critical')).toEqual({ deliver: true, silent: true });
    expect(applyLevel('silent', 'info')).toEqual({ deliver: true, silent: true });
    expect(applyLevel('on', 'info')).toEqual({ deliver: true, silent: false });
  });
  it('every domain event type is a configurable alert type', () => {
    expect([...ALERT_TYPES]).toEqual([...DOMAIN_EVENT_TYPES]);
  });
});

describe('alert destinations', () => {
  const users = chatUsers([
    { platform: 'telegram', userId: '1', role: 'admin' },
    { platform: 'telegram', userId: '2', role: 'viewer' },
    { platform: 'discord', userId: '80351110224678912', role: 'admin' },
    { platform: 'line', userId: 'Uaaa', role: 'admin' },
  ]);
  const none = { TELEGRAM_ALERT_CHAT_IDS: [], DISCORD_ALERT_CHANNEL_ID: undefined, DISCORD_WEBHOOK_URL: undefined, LINE_ALERT_TO: [] };

  it('uses the configured destinations of enabled channels', () => {
    const config = { TELEGRAM_ALERT_CHAT_IDS: ['-100', '200', '-100'], DISCORD_ALERT_CHANNEL_ID: '555', DISCORD_WEBHOOK_URL: 'https://discord.test/api/webhooks/1/x', LINE_ALERT_TO: ['Cgroup'] };
    expect(alertDestinations([telegramPlatform, discordPlatform, linePlatform], config as Config, users)).toEqual([
      { channel: 'telegram', destination: '-100' },
      { channel: 'telegram', destination: '200' },
      { channel: 'discord', destination: '555' },
      { channel: 'line', destination: 'Cgroup' },
    ]);
    expect(alertDestinations([discordPlatform], { ...config, DISCORD_ALERT_CHANNEL_ID: undefined } as Config, users)).toEqual([{ channel: 'discord', destination: 'webhook' }]);
    expect(alertDestinations([linePlatform], config as Config, users)).toEqual([{ channel: 'line', destination: 'Cgroup' }]);
  });

  it("falls back to the admins' direct chats", () => {
    expect(alertDestinations([telegramPlatform, discordPlatform, linePlatform], none as unknown as Config, users)).toEqual([
      { channel: 'telegram', destination: '1' },
      { channel: 'discord', destination: 'dm:80351110224678912' },
      { channel: 'line', destination: 'Uaaa' },
    ]);
    expect(alertDestinations([], none as unknown as Config, users)).toEqual([]);
    expect(alertDestinations([consolePlatform], none as unknown as Config, users)).toEqual([{ channel: 'console', destination: 'console' }]);
  });
});
