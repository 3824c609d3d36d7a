import type { Hono } from 'hono';
import type { CommandRouter } from '../../../commands/router-types.ts';
import { backtestResultReply } from '../../../commands/backtest-replies.ts';
import type { BacktestRequest, BacktestRunView, BotServices } from '../../../commands/services.ts';
import type { AlertSender } from '../../alerts/alert.ts';
import { CHAT_PLATFORMS } from '../../chat-platforms.ts';
import type { Config } from '../../config.ts';
import type { EventBus } from '../../engine/bus.ts';
import { type Logger, registerSecrets } from '../../logger.ts';
import type { Database } from '../db/client.ts';
import { type ChartLinks, createChartLinks } from '../http/routes/chart-links.ts';
import { BackgroundTasks } from './background-tasks.ts';
import type { ChatPlatformDescriptor, ChatPlatformInstance } from './platform-descriptor.ts';
import { ButtonPayloads } from './render/button-payloads.ts';

export interface ChatDeps {
  config: Config;
  router: CommandRouter;
  services: BotServices;
  database?: Database;
  logger: Logger;
  bus?: EventBus;
  /** Console streams (default stdin/stdout). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Chart links served by the HTTP server (LINE images); made from PUBLIC_URL when absent. */
  chartLinks?: ChartLinks;
  /** Timing knobs (tests and benchmarks); production uses the defaults. */
  timing?: { interimAfterMs?: number; minEditIntervalMs?: number; answerWithinMs?: number };
  /** The platforms to consider (default: every one in src/chat-platforms.ts). */
  platforms?: readonly ChatPlatformDescriptor[];
  /** Wall clock (tests). */
  now?: () => number;
}

export interface Chat {
  /** Enabled platforms, e.g. `['telegram', 'line', 'console']`. */
  readonly platforms: string[];
  /** Descriptors of the enabled platforms (alert destinations, pacing). */
  readonly descriptors: readonly ChatPlatformDescriptor[];
  /** One alert sender per enabled platform that can send alerts. */
  readonly senders: AlertSender[];
  /** Adds the webhook routes of the enabled platforms and the chart route to the shared HTTP app. */
  mount(app: Hono): void;
  /**
   * Start platforms: `shared` those any number of processes may run (webhooks, console — a standby
   * starts these), `exclusive` those only one process may (Telegram long polling, Discord gateway —
   * the leader), both when absent. A platform already running is left alone.
   */
  start(part?: 'shared' | 'exclusive'): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  descriptor: ChatPlatformDescriptor;
  instance: ChatPlatformInstance;
}

/** Which of `platforms` the configuration enables (no SDK is loaded to decide). */
export function enabledPlatforms(config: Config, input: NodeJS.ReadableStream, platforms: readonly ChatPlatformDescriptor[] = CHAT_PLATFORMS): ChatPlatformDescriptor[] {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  return platforms.filter((p) => p.enabled(config, { interactive }));
}

/**
 * The chat side of the process: builds each platform the configuration enables through its
 * descriptor (its SDK is imported only then), shares one button-payload store and the chart links
 * between them, and starts/stops them independently — a platform that fails to start is logged and
 * the others run. A platform refusing its configuration (Telegram webhook without a secret) fails
 * the whole start, naming the variable.
 */
export async function createChat(deps: ChatDeps): Promise<Chat> {
  const { config } = deps;
  const log = deps.logger.child({ component: 'chat' });
  const all = deps.platforms ?? CHAT_PLATFORMS;
  registerSecrets(all.flatMap((p) => p.secrets(config)));
  const payloads = new ButtonPayloads();
  const chartLinks = deps.chartLinks ?? createChartLinks({ publicUrl: config.PUBLIC_URL });
  const input = deps.input ?? process.stdin;
  const output = deps.output ?? process.stdout;
  const platforms: Running[] = [];
  for (const descriptor of enabledPlatforms(config, input, all)) {
    const instance = await descriptor.create({
      config,
      router: deps.router,
      services: deps.services,
      logger: log,
      payloads,
      chartLinks,
      input,
      output,
      timing: deps.timing ?? {},
    });
    platforms.push({ descriptor, instance });
  }

  const running = new Set<Running>();
  const tasks = new BackgroundTasks(log);
  const startedAt = (deps.now ?? Date.now)();
  let unsubscribe: (() => void) | undefined;
  /**
   * Runs queued before this start (the process restarted while they waited) have no conversation to
   * follow them: their result goes to the chat they were requested from. Runs queued since are shown
   * by their command's follow-up job.
   */
  const deliverOrphan = (run: BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] }) => {
    if ((run.status !== 'done' && run.status !== 'failed') || run.createdAt >= startedAt || !run.requestedBy) return;
    const by = run.requestedBy;
    const p = [...running].find((r) => r.descriptor.name === by.platform);
    if (!p?.instance.deliver) return;
    const deliver = p.instance.deliver;
    tasks.run('backtest result after restart', () => deliver(by.chatId ?? by.userId, backtestResultReply(run)));
  };
  return {
    platforms: platforms.map((p) => p.descriptor.name),
    descriptors: platforms.map((p) => p.descriptor),
    senders: platforms.flatMap((p) => (p.instance.sender ? [p.instance.sender] : [])),
    mount(app) {
      for (const p of platforms) p.instance.mount?.(app);
      if (chartLinks.enabled) chartLinks.mount(app);
    },
    async start(part) {
      const chosen = platforms.filter((p) => !running.has(p) && (part === undefined || (p.descriptor.exclusive?.(config) ?? false) === (part === 'exclusive')));
      await Promise.all(
        chosen.map(async (p) => {
          try {
            await p.instance.start();
            running.add(p);
          } catch (err) {
            log.error({ err, platform: p.descriptor.name }, 'chat platform failed to start; the others keep running');
            // A half-started platform may hold timers or sockets: release them.
            await p.instance.stop().catch(() => {});
          }
        }),
      );
      // Results of runs queued before a restart go to their chat from one process: the leader.
      if (part !== 'shared') unsubscribe ??= deps.services.backtests?.onUpdate(deliverOrphan);
      log.info({ platforms: [...running].map((p) => p.descriptor.name), part: part ?? 'all' }, 'chat started');
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await tasks.drain(10_000);
      await Promise.all(
        [...running].map(async (p) => {
          try {
            await p.instance.stop();
          } catch (err) {
            log.warn({ err, platform: p.descriptor.name }, 'chat platform did not stop cleanly');
          }
        }),
      );
      running.clear();
    },
  };
}
