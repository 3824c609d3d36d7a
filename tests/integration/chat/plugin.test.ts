import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Platform } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { Reply } from '../../../commands/reply.ts';
import { createCommandRouter } from '../../../commands/router.ts';
import { parseChatUsers } from '../../../commands/users.ts';
import { createChat } from '../../../src/adapters/chat/index.ts';
import type { ChatPlatformDescriptor } from '../../../src/adapters/chat/platform-descriptor.ts';
import { createDbChatStore } from '../../../src/adapters/db/chat-store.ts';
import { outboxRowsFor } from '../../../src/adapters/db/repositories/alert-outbox.ts';
import type { Alert, AlertChannel } from '../../../src/alerts/alert.ts';
import { alertDestinations } from '../../../src/alerts/destinations.ts';
import { createAlertFanout } from '../../../src/alerts/fanout.ts';
import { createAlertOutbox } from '../../../src/alerts/outbox.ts';
import { pacingOf } from '../../../src/alerts/pacing.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';
import { loadConfig } from '../../../src/config.ts';
import { scrubSecrets } from '../../../src/logger.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { databaseTargets } from '../../support/databases.ts';
import { createFakeServices, FAKE_T0 } from '../../support/fake-services.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';

const target = databaseTargets()[0]!;
afterAll(() => target.cleanup());
const logger = pino({ level: 'silent' });

/**
 * A platform that exists only in this test — a pager network whose users are `P` + 3 digits. It is
 * added through its descriptor alone: nothing else in the code base knows about it.
 */
function pagerPlatform(secret: string) {
  const inbox: Array<{ to: string; reply: Reply }> = [];
  const alerts: Array<{ to: string; alert: Alert }> = [];
  let receive: ((userId: string, text: string) => Promise<void>) | undefined;
  const descriptor: ChatPlatformDescriptor<'pager'> = {
    name: 'pager',
    label: 'Pager',
    userId: { pattern: /^P[0-9]{3}$/, example: 'pager:P123=admin' },
    enabled: (config) => config.CHAT_USERS?.includes('pager:') ?? false,
    secrets: () => [secret],
    alertDestinations: (_config, admins) => admins.map((id) => `page:${id}`),
    pacing: () => ({ minIntervalMs: 5_000 }),
    async create(ctx) {
      receive = async (userId, text) => {
        const reply = await ctx.router.handle({ caller: { platform: 'pager' as Platform, userId, chatId: userId }, text });
        if (reply) inbox.push({ to: userId, reply });
      };
      return {
        sender: {
          channel: 'pager' as AlertChannel,
          async send(to, alert) {
            alerts.push({ to, alert });
          },
        },
        async start() {},
        async stop() {},
      };
    },
  };
  return { descriptor, inbox, alerts, say: (userId: string, text: string) => receive!(userId, text) };
}

describe('a chat platform is one plug-in', () => {
  it('a platform added through its descriptor alone gets users, commands, secrets and paced alerts', async () => {
    const database = await target.open();
    const pager = pagerPlatform('pager-secret-0123456789');
    const platforms = [...CHAT_PLATFORMS, pager.descriptor];
    const config = loadConfig({ DATA_DIR: 'memory://', CONSOLE: 'false', CHAT_USERS: 'pager:P123=admin,pager:P777=viewer' });
    // CHAT_USERS knows the new platform's id format, and still refuses malformed ids.
    const users = parseChatUsers(config.CHAT_USERS, platforms);
    expect(users.roleOf({ platform: 'pager' as Platform, userId: 'P123' })).toBe('admin');
    expect(() => parseChatUsers('pager:123=admin', platforms)).toThrow(/not a pager user id — e.g. pager:P123=admin/);

    const services = createFakeServices();
    const router = createCommandRouter({
      commands: COMMANDS,
      services,
      store: createDbChatStore(database.db),
      logger,
      clock: new ManualClock(FAKE_T0),
      users,
      rateLimitPerMinute: 100,
      alertChannels: ['pager' as AlertChannel],
    });
    const chat = await createChat({ config, router, services, database, logger, platforms, input: new PassThrough(), output: new PassThrough() });
    expect(chat.platforms).toEqual(['pager']);
    expect(scrubSecrets('token pager-secret-0123456789 leaked')).toBe('token [REDACTED] leaked');
    await chat.start();

    // Commands: the same core, roles from CHAT_USERS.
    await pager.say('P123', '/whoami');
    await pager.say('P777', '/pause');
    expect(pager.inbox[0]!.reply.text?.join(' ')).toMatch(/admin/);
    expect(pager.inbox[1]!.reply.text?.join(' ')).toMatch(/needs the trader role/);

    // Alerts: destinations and pacing come from the descriptor.
    const destinations = alertDestinations(chat.descriptors, config, users);
    expect(destinations).toEqual([{ channel: 'pager', destination: 'page:P123' }]);
    const scheduler = new ManualScheduler(FAKE_T0);
    const outbox = createAlertOutbox({ store: createDbAlertStore(database.db), senders: chat.senders, logger, scheduler, pollIntervalMs: 3_600_000, pacing: pacingOf(chat.descriptors) });
    const fanout = createAlertFanout({ store: createDbAlertStore(database.db), destinations, logger, now: () => scheduler.now(), onQueued: (c, d) => outbox.notify(c, d) });
    await outbox.start();
    for (const n of [1, 2]) {
      await fanout.publishAlert({ type: 'strategy-message', severity: 'warning', silent: false, createdAt: scheduler.now(), body: { title: `message ${n}` } });
    }
    await outbox.whenIdle();
    expect(pager.alerts.map((a) => a.alert.body.title)).toEqual(['message 1']);
    scheduler.advance(5_000);
    await vi.waitFor(async () => {
      await outbox.whenIdle();
      expect(pager.alerts.map((a) => `${a.to} ${a.alert.body.title}`)).toEqual(['page:P123 message 1', 'page:P123 message 2']);
    });
    const rows = await outboxRowsFor(database.db, 'pager' as AlertChannel, 'page:P123');
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(rows[1]!.sentAt! - rows[0]!.sentAt!).toBeGreaterThanOrEqual(5_000);

    await outbox.stop();
    await chat.stop();
    await database.close();
  });
});
