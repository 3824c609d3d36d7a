import type { Hono } from 'hono';
import { COMMANDS } from '../../commands/index.ts';
import { createCommandRouter } from '../../commands/router.ts';
import type { BotServices } from '../../commands/services.ts';
import { type ChatUsers, parseChatUsers } from '../../commands/users.ts';
import type { CommandRouter } from '../../commands/router-types.ts';
import type { Database } from '../adapters/db/client.ts';
import { createDbChatStore } from '../adapters/db/chat-store.ts';
import { createDbAlertStore } from '../adapters/db/alert-store.ts';
import { createAlertFanout } from '../alerts/fanout.ts';
import { alertDestinations } from '../alerts/destinations.ts';
import { createAlertOutbox } from '../alerts/outbox.ts';
import { createLeaderOutbox } from '../alerts/leader-outbox.ts';
import { pacingOf } from '../alerts/pacing.ts';
import { CHAT_PLATFORMS } from '../chat-platforms.ts';
import type { AlertChannel } from '../alerts/alert.ts';
import type { Config } from '../config.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';
import type { MetricsRecorder } from '../ports/metrics.ts';
import { systemClock } from '../ports/clock.ts';
import type { AppIo } from './app-io.ts';

export interface ChatRuntime {
  readonly platforms: string[];
  /** The command core every transport (and the web dashboard) sends commands through. */
  readonly router: CommandRouter;
  readonly users: ChatUsers;
  mount(app: Hono): void;
  /** Every platform and the alert outbox (a single process). */
  start(): Promise<void>;
  /** What a standby runs too: platforms several processes may receive on (webhooks, console). */
  startShared(): Promise<void>;
  /** Leadership lost: stop the alert outbox and the platforms only one process may receive on (startLeader starts them again). */
  stopLeader(): Promise<void>;
  /** What only the leader runs: the alert outbox (one sender) and single-receiver platforms (Telegram long polling). */
  startLeader(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Commands in, alerts out: the command router over the services and the chat store, the chat
 * platforms enabled by their configuration (src/chat-platforms.ts), and the alert fan-out writing to
 * the persisted outbox that each platform's sender drains at its descriptor's pace.
 */
export async function buildChat(d: { config: Config; services: BotServices; database: Database; bus: EventBus; logger: Logger; io: AppIo; metrics?: MetricsRecorder }): Promise<ChatRuntime> {
  const { config, database, logger } = d;
  const users = parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS);
  const { createChat, enabledPlatforms } = await import('../adapters/chat/index.ts');
  const router = createCommandRouter({
    commands: COMMANDS,
    services: d.services,
    store: createDbChatStore(database.db),
    logger,
    clock: systemClock,
    users,
    rateLimitPerMinute: config.COMMAND_RATE_LIMIT,
    alertDefaults: config.ALERT_LEVELS,
    metrics: d.metrics,
    alertChannels: enabledPlatforms(config, d.io.stdin).map((p) => p.name as AlertChannel),
  });
  const chat = await createChat({ config, router, services: d.services, database, logger, bus: d.bus, input: d.io.stdin, output: d.io.stdout });
  const sending = chat.descriptors.filter((p) => chat.senders.some((s) => s.channel === p.name));
  const alertStore = createDbAlertStore(database.db);
  // One outbox per leadership term: a process that lost the lock stops sending (src/alerts/leader-outbox.ts).
  const outbox = createLeaderOutbox(() => createAlertOutbox({
    store: alertStore,
    senders: chat.senders,
    logger,
    pacing: pacingOf(sending),
    digest: { afterMs: config.ALERT_DIGEST_AFTER * 1000 },
    onSent: (channel, info) => {
      d.metrics?.alertDelivery(channel, 'sent');
      d.metrics?.alertMessage(channel, info.critical ? 'critical' : info.alerts > 1 ? 'digest' : 'single', info.alerts, info.waitedMs / 1000);
    },
  }));
  const fanout = createAlertFanout({
    store: alertStore,
    destinations: alertDestinations(sending, config, users),
    logger,
    defaults: config.ALERT_LEVELS,
    onQueued: (channel, destination) => outbox.notify(channel, destination),
  });
  const detach = fanout.attach(d.bus);
  return {
    platforms: chat.platforms,
    router,
    users,
    mount: (app) => chat.mount(app),
    async start() {
      await outbox.start();
      await chat.start();
    },
    async startShared() {
      await chat.start('shared');
    },
    async startLeader() {
      await outbox.start();
      await chat.start('exclusive');
    },
    async stopLeader() {
      // Telegram long polling and the Discord gateway allow one receiver, the outbox one sender: the new leader's.
      await chat.stop('exclusive');
      await outbox.stop();
    },
    async stop() {
      detach();
      await chat.stop();
      await outbox.stop();
    },
  };
}
