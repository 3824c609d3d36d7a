import type { Caller } from '../../../commands/command.ts';
import type { BacktestRequest, BacktestRunView, BotServices } from '../../../commands/services.ts';
import type { Logger } from '../../logger.ts';
import { BackgroundTasks } from './background-tasks.ts';
import { createProgressReporter, type ProgressReporter } from './progress-reporter.ts';

type RunUpdate = BacktestRunView & { requestedBy?: BacktestRequest['requestedBy'] };

/** What a platform does with a followed run: `handle` is where the "queued" answer went. */
export interface BacktestTarget<H> {
  /** Show progress on the queued answer (an edit); platforms that cannot edit do nothing. */
  progress(handle: H, run: RunUpdate): Promise<void>;
  /** Deliver the result; `handle` is undefined for runs nobody here is waiting for (e.g. after a restart). */
  result(handle: H | undefined, run: RunUpdate): Promise<void>;
}

/** A `/backtest` that is being answered: the run it created is bound to it when it is queued. */
export interface Expectation {
  readonly caller: Caller;
  runId?: number;
}

interface Followed<H> {
  handle?: H;
  last: RunUpdate;
  reporter?: ProgressReporter;
}

/**
 * Follows backtests requested from one platform through `services.backtests.onUpdate`: the run a
 * `/backtest` queued is bound to the message that said so; progress edits that message (coalesced),
 * and the result — summary, metrics, chart — follows in the same chat. Updates that arrive before
 * the answer was sent are kept and applied once it is. Results of runs nobody here waits for (a run
 * finished after a restart) still reach the requester's chat.
 */
export class BacktestFollower<H> {
  private readonly pending: Expectation[] = [];
  private readonly followed = new Map<number, Followed<H>>();
  private readonly tasks: BackgroundTasks;
  private readonly off: () => void;

  constructor(
    private readonly platform: string,
    backtests: BotServices['backtests'],
    private readonly target: BacktestTarget<H>,
    logger: Logger,
    private readonly minEditIntervalMs = 1_000,
  ) {
    this.tasks = new BackgroundTasks(logger);
    this.off = backtests.onUpdate((run) => this.onUpdate(run));
  }

  /** Register before running a slow command; the run it queues (if any) binds to it. */
  expect(caller: Caller): Expectation {
    const e: Expectation = { caller };
    this.pending.push(e);
    return e;
  }

  /** The answer went out at `handle`: follow the bound run there (or forget an unbound expectation). */
  attach(e: Expectation, handle: H | undefined): void {
    this.drop(e);
    if (e.runId === undefined) return;
    const f = this.followed.get(e.runId);
    if (!f) return;
    f.handle = handle;
    this.apply(e.runId, f);
  }

  /** Forget an expectation whose command failed or was refused. */
  drop(e: Expectation): void {
    const i = this.pending.indexOf(e);
    if (i >= 0) this.pending.splice(i, 1);
  }

  async stop(): Promise<void> {
    this.off();
    for (const f of this.followed.values()) await f.reporter?.finish();
    this.followed.clear();
    await this.tasks.drain(10_000);
  }

  private onUpdate(run: RunUpdate): void {
    const by = run.requestedBy;
    if (!by || by.platform !== this.platform) return;
    let f = this.followed.get(run.id);
    if (!f && run.status === 'queued') {
      const i = this.pending.findIndex((e) => e.runId === undefined && e.caller.userId === by.userId && (e.caller.chatId ?? undefined) === (by.chatId ?? undefined));
      if (i >= 0) {
        this.pending[i].runId = run.id;
        f = { last: run };
        this.followed.set(run.id, f);
        return;
      }
    }
    if (!f) {
      if (run.status === 'done' || run.status === 'failed') this.tasks.run('backtest result', () => this.target.result(undefined, run));
      return;
    }
    f.last = run;
    // Still being answered: the update is applied once the answer is attached.
    if (this.pending.some((e) => e.runId === run.id)) return;
    this.apply(run.id, f);
  }

  private apply(id: number, f: Followed<H>): void {
    const run = f.last;
    if (run.status === 'done' || run.status === 'failed') {
      this.followed.delete(id);
      const reporter = f.reporter;
      this.tasks.run('backtest result', async () => {
        await reporter?.finish();
        await this.target.result(f.handle, run);
      });
      return;
    }
    if (f.handle === undefined || run.status !== 'running') return;
    const handle = f.handle;
    f.reporter ??= createProgressReporter((text) => this.target.progress(handle, { ...f.last, progress: Number(text) }), this.minEditIntervalMs);
    const reporter = f.reporter;
    this.tasks.run('backtest progress', () => reporter.report(String(run.progress)));
  }
}
