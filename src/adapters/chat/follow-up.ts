import type { FollowUp } from '../../../commands/follow-up.ts';
import type { Reply } from '../../../commands/reply.ts';
import type { Logger } from '../../logger.ts';
import { createProgressReporter } from './progress-reporter.ts';

/** How one transport shows a follow-up job in one chat. */
export interface FollowUpTarget {
  /** Replace the first answer with a progress reply; absent on platforms that cannot edit (LINE). */
  edit?(progress: Reply): Promise<void>;
  /** Deliver the result. */
  send(result: Reply): Promise<void>;
}

/**
 * Shows the follow-up jobs commands return (`Reply.followUp`) — the same way on every transport:
 * progress edits the answer (coalesced to one edit per `minEditIntervalMs`, the latest wins), then the
 * result is sent once. `stop()` stops watching every job (the jobs themselves go on).
 */
export class FollowUps {
  private readonly active = new Set<{ stop(): Promise<void> }>();

  constructor(
    private readonly logger: Logger,
    private readonly minEditIntervalMs = 1_000,
  ) {}

  get size(): number {
    return this.active.size;
  }

  /** Show `reply.followUp` (if any) through `target`; resolves when the result was sent (or stop()). */
  show(reply: Reply | undefined, target: FollowUpTarget): Promise<void> {
    const job: FollowUp | undefined = reply?.followUp;
    if (!job) return Promise.resolve();
    let latest: Reply | undefined;
    const reporter = createProgressReporter(async () => {
      if (latest && target.edit) await target.edit(latest).catch((err: unknown) => this.logger.warn({ err, job: job.id }, 'follow-up progress edit failed'));
    }, this.minEditIntervalMs);
    let unwatch = () => {};
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const entry = {
      stop: async () => {
        unwatch();
        await reporter.finish();
        this.active.delete(entry);
        resolveDone();
      },
    };
    this.active.add(entry);
    unwatch = job.watch({
      progress: (update) => {
        latest = update;
        void reporter.report(progressKey(update));
      },
      done: (result) => {
        void (async () => {
          unwatch();
          await reporter.finish();
          try {
            await target.send(result);
          } catch (err) {
            this.logger.error({ err, job: job.id }, 'follow-up result could not be delivered');
          } finally {
            this.active.delete(entry);
            resolveDone();
          }
        })();
      },
    });
    return done;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.active].map((e) => e.stop()));
  }
}

function progressKey(r: Reply): string {
  return JSON.stringify([r.title, r.text]);
}
