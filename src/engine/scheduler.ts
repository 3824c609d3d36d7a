import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';

export interface TickScheduler {
  start(): void;
  /** Stop scheduling and wait for the tick in flight to finish. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/**
 * node-cron drives the engine tick. Overlap is prevented twice: node-cron's `noOverlap` and our own
 * in-flight promise (which `stop()` awaits so shutdown never cuts a tick in half). Errors inside a
 * tick are logged here; node-cron would swallow them into its own logger.
 */
/** One finished tick: run time, how late it started against its cron slot, whether it threw. */
export interface TickObservation {
  durationMs: number;
  lagMs: number;
  ok: boolean;
}

/** When ticks run: a node-cron expression (TICK_CRON), or a fixed period in ms (the accelerated simulated market). */
export type TickSchedule = string | { everyMs: number };

export function createTickScheduler(schedule: TickSchedule, tick: () => Promise<void>, logger: Logger, observe?: (t: TickObservation) => void): TickScheduler {
  if (typeof schedule !== 'string') return createPeriodicScheduler(schedule.everyMs, tick, logger, observe);
  const expression = schedule;
  if (!cron.validate(expression)) throw new Error(`TICK_CRON "${expression}" is not a valid cron expression`);
  cron.setLogger({
    info: (m) => logger.debug({ source: 'node-cron' }, m),
    warn: (m) => logger.warn({ source: 'node-cron' }, m),
    error: (m, err) => logger.error({ source: 'node-cron', err: err ?? m }, typeof m === 'string' ? m : m.message),
    debug: (m) => logger.debug({ source: 'node-cron' }, typeof m === 'string' ? m : m.message),
  });
  let task: ScheduledTask | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  const run = async (ctx?: { date?: Date }) => {
    if (inFlight || stopped) return;
    const startedAt = Date.now();
    inFlight = observedTick(tick, logger, observe, startedAt, ctx?.date ? Math.max(0, startedAt - ctx.date.getTime()) : 0).finally(() => {
      inFlight = undefined;
    });
    await inFlight;
  };
  return {
    get running() {
      return task !== undefined && !stopped;
    },
    start() {
      task = cron.createTask(expression, run, { noOverlap: true, name: 'engine-tick' });
      task.start();
      void run();
    },
    async stop() {
      stopped = true;
      if (task) {
        await task.stop();
        await task.destroy();
      }
      if (inFlight) await inFlight;
    },
  };
}

/**
 * A tick every `everyMs` (the simulated market at SIM_SPEED > 1 closes several candles per second,
 * below node-cron's one-second resolution). The next tick is due one period after the previous one
 * was due; a tick that overruns makes the next start at once (no overlap, no burst of catch-up ticks).
 */
function createPeriodicScheduler(everyMs: number, tick: () => Promise<void>, logger: Logger, observe?: (t: TickObservation) => void): TickScheduler {
  if (!(everyMs > 0)) throw new Error(`tick period must be above 0 ms, got ${everyMs}`);
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  let started = false;
  let due = 0;
  const run = async () => {
    if (stopped) return;
    const startedAt = Date.now();
    inFlight = observedTick(tick, logger, observe, startedAt, Math.max(0, startedAt - due)).finally(() => {
      inFlight = undefined;
    });
    await inFlight;
    if (stopped) return;
    due = Math.max(due + everyMs, Date.now());
    timer = setTimeout(() => void run(), Math.max(0, due - Date.now()));
  };
  return {
    get running() {
      return started && !stopped;
    },
    start() {
      started = true;
      due = Date.now();
      void run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (inFlight) await inFlight;
    },
  };
}

/** Run one tick: its error is logged (never thrown), then the observer gets its duration, lag and outcome. */
async function observedTick(tick: () => Promise<void>, logger: Logger, observe: ((t: TickObservation) => void) | undefined, startedAt: number, lagMs: number): Promise<void> {
  let ok = true;
  try {
    await tick();
  } catch (err) {
    ok = false;
    logger.error({ err }, 'engine tick failed');
  }
  try {
    observe?.({ durationMs: Date.now() - startedAt, lagMs, ok });
  } catch (err) {
    logger.error({ err }, 'tick observer failed');
  }
}
