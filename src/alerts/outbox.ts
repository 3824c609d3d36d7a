import type { Logger } from '../logger.ts';
import type { AlertStore, OutboxRow } from '../ports/alert-store.ts';
import { type AlertChannel, type AlertSender, PermanentDeliveryError, RetryLaterError } from './alert.ts';
import { DEFAULT_DIGEST, type DigestOptions, digestCount, digestOf } from './digest.ts';
import { alertPriority } from './priority.ts';
import { DEFAULT_PACING, Pacer, type PacingRule } from './pacing.ts';
import { realScheduler, type Scheduler, type TimerHandle } from './scheduler.ts';
import { queuedAt as queuedAtOf } from './digest.ts';

export interface AlertOutboxOptions {
  /** Where the rows live (the composition root passes the database implementation). */
  store: AlertStore;
  /** One sender per enabled channel; rows of other channels wait untouched. */
  senders: readonly AlertSender[];
  logger: Logger;
  scheduler?: Scheduler;
  /** Pace per destination (the platform descriptors'); default one message a second. */
  pacing?: (channel: AlertChannel, destination: string) => PacingRule;
  /**
   * When a destination's backlog of non-critical alerts is folded into one digest (age
   * ALERT_DIGEST_AFTER, length); `false` sends every alert on its own.
   */
  digest?: Partial<DigestOptions> | false;
  /** Told of every message sent (metrics): `digest` = how many alerts it stood for. */
  onSent?: (channel: AlertChannel, info: { critical: boolean; alerts: number; waitedMs: number }) => void;
  /** Exponential backoff after ordinary failures; a row is dead after `maxAttempts` of them. */
  backoff?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** A send taking longer counts as failed (and is retried): a hung request must not stall a chat forever. */
  sendTimeoutMs?: number;
  /** How often to look for rows written by someone else (another process, a restart). */
  pollIntervalMs?: number;
  /** Real time stop() waits for sends in flight before giving up on them (they stay pending). */
  stopGraceMs?: number;
}

export interface AlertOutbox {
  /** Deliver what is pending (rows survive restarts) and start watching. */
  start(): Promise<void>;
  /** Stop after the sends in flight; pending rows stay for the next start. */
  stop(): Promise<void>;
  /** Rows were queued for this destination (the fan-out calls this). */
  notify(channel: AlertChannel, destination: string): void;
  /**
   * Resolves once every destination (or every one `which` selects) is waiting — for time or for new
   * rows — rather than reading, sending or writing. Tests drive a manual clock with it.
   */
  whenIdle(which?: (channel: AlertChannel, destination: string) => boolean): Promise<void>;
}

interface Lane {
  channel: AlertChannel;
  destination: string;
  sender: AlertSender;
  pacer: Pacer;
  /** New rows arrived while the lane was busy: look again before sleeping. */
  dirty: boolean;
  /** Reading, sending or writing (not waiting). */
  busy: boolean;
  wake?: () => void;
  done: Promise<void>;
}

const BATCH = 50;

/**
 * Delivery of the persisted alert outbox. Each destination (channel + chat) has its own loop, so a
 * failing or rate-limited platform never delays another, and within one destination and class alerts go
 * in order: the head row blocks the rows behind it until it is sent or dead. A row is
 * marked sent only after the platform accepted it, so a crash between the two resends it once
 * (at-least-once; LINE sends carry a retry key). A RetryLaterError (429) holds the destination
 * until its retryAt; other errors back off exponentially; a PermanentDeliveryError ends the row as
 * dead with its reason. Critical alerts overtake the rest; a long or old backlog of the rest goes
 * out as one digest.
 *
 * One outbox per database: two processes delivering the same rows would send them twice.
 */
export function createAlertOutbox(options: AlertOutboxOptions): AlertOutbox {
  const log = options.logger.child({ component: 'alert-outbox' });
  const queue = options.store.outbox;
  const scheduler = options.scheduler ?? realScheduler;
  const pacing = options.pacing ?? (() => DEFAULT_PACING);
  const digest = options.digest === false ? undefined : { ...DEFAULT_DIGEST, ...options.digest };
  const baseMs = options.backoff?.baseMs ?? 2_000;
  const maxMs = options.backoff?.maxMs ?? 600_000;
  const maxAttempts = options.backoff?.maxAttempts ?? 20;
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const senders = new Map(options.senders.map((s) => [s.channel, s]));
  const lanes = new Map<string, Lane>();
  let started = false;
  let stopped = false;
  let pollTimer: TimerHandle | undefined;
  let polling = 0;
  let idleWaiters: Array<{ which?: (channel: AlertChannel, destination: string) => boolean; resolve: () => void }> = [];

  const isIdle = (which?: (channel: AlertChannel, destination: string) => boolean) =>
    polling === 0 && [...lanes.values()].every((l) => !l.busy || (which !== undefined && !which(l.channel, l.destination)));

  /** Something became idle or busy: release the waiters whose condition now holds. */
  const changed = () => {
    if (idleWaiters.length === 0) return;
    const still: typeof idleWaiters = [];
    for (const w of idleWaiters) (isIdle(w.which) ? w.resolve() : still.push(w));
    idleWaiters = still;
  };
  const setBusy = (lane: Lane, busy: boolean) => {
    lane.busy = busy;
    changed();
  };

  function laneFor(channel: AlertChannel, destination: string): Lane | undefined {
    const key = `${channel}\u0000${destination}`;
    let lane = lanes.get(key);
    if (lane || stopped || !started) return lane;
    const sender = senders.get(channel);
    if (!sender) return undefined;
    lane = { channel, destination, sender, pacer: new Pacer(pacing(channel, destination)), dirty: true, busy: true, done: Promise.resolve() };
    lanes.set(key, lane);
    lane.done = run(lane);
    return lane;
  }

  /** Wait until `at` (or until notified, when undefined). The lane counts as idle meanwhile. */
  function sleep(lane: Lane, at: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (lane.dirty || stopped) return resolve();
      let timer: TimerHandle | undefined;
      const wake = () => {
        if (lane.wake !== wake) return;
        lane.wake = undefined;
        timer?.cancel();
        setBusy(lane, true);
        resolve();
      };
      lane.wake = wake;
      if (at !== undefined) timer = scheduler.setTimer(wake, at - scheduler.now());
      setBusy(lane, false);
    });
  }

  async function run(lane: Lane): Promise<void> {
    while (!stopped) {
      let next: number | undefined;
      try {
        next = await step(lane);
      } catch (err) {
        // The database failed (not the platform): try again a little later, rows are safe.
        log.error({ err, channel: lane.channel, destination: lane.destination }, 'alert outbox step failed');
        next = scheduler.now() + baseMs;
      }
      if (stopped) break;
      if (next !== undefined && next <= scheduler.now() && !lane.dirty) continue;
      await sleep(lane, next);
    }
    setBusy(lane, false);
  }

  /**
   * Deliver at most one message; return when to look again (undefined: when notified). Critical
   * alerts go first, one per message, in order. The others go one by one in order while the backlog
   * is short and young; once the oldest has waited `digest.afterMs` or more than `digest.maxBacklog`
   * wait, everything waiting is folded into one digest — so a chat limited to one message a second
   * never falls minutes behind a busy strategy, and nothing is dropped.
   */
  async function step(lane: Lane): Promise<number | undefined> {
    lane.dirty = false;
    let rows = await queue.pendingFor(lane.channel, lane.destination, BATCH);
    const now = scheduler.now();
    const head = rows[0];
    if (!head) return undefined;
    if (head.nextAttemptAt > now) return head.nextAttemptAt;
    const paceAt = lane.pacer.nextAllowedAt(now);
    if (paceAt > now) return paceAt;
    let group = [head];
    if (digest && alertPriority(head.alert) === 'normal') {
      const due = (r: OutboxRow) => r.nextAttemptAt <= now;
      let normal = rows.filter(due);
      // A full batch means a long backlog: read what one digest may hold.
      const backlog = rows.length === BATCH ? Number.POSITIVE_INFINITY : normal.length;
      if (digestCount(normal.map((r) => r.alert), backlog, now, digest) > 1) {
        if (rows.length === BATCH) {
          rows = await queue.pendingFor(lane.channel, lane.destination, digest.maxAlerts);
          normal = rows.filter(due);
        }
        group = normal.slice(0, Math.min(normal.length, digest.maxAlerts));
      }
    }
    const n = group.length;
    const ids = group.map((r) => r.id);
    const alert = n > 1 ? digestOf(group.map((r) => r.alert), digest) : head.alert;
    lane.pacer.record(now);
    try {
      await withTimeout(lane.sender.send(lane.destination, alert), sendTimeoutMs);
      await queue.markSent(ids, scheduler.now());
      options.onSent?.(lane.channel, { critical: alertPriority(head.alert) === 'critical', alerts: n, waitedMs: Math.max(0, now - queuedAtOf(head.alert)) });
      return scheduler.now();
    } catch (err) {
      const at = scheduler.now();
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof RetryLaterError) {
        const retryAt = Math.max(err.retryAt, at + 1);
        log.warn({ channel: lane.channel, destination: lane.destination, retryAt }, 'platform asked to slow down');
        await queue.markRetry(ids, retryAt, message, false);
        return retryAt;
      }
      if (err instanceof PermanentDeliveryError) {
        log.warn({ channel: lane.channel, destination: lane.destination, ids, reason: message }, 'alert cannot be delivered; marked dead');
        await queue.markDead(ids, message);
        return at;
      }
      const attempts = head.attempts + 1;
      if (attempts >= maxAttempts) {
        log.error({ err, channel: lane.channel, destination: lane.destination, ids, attempts }, 'alert delivery gave up; marked dead');
        await queue.markDead(ids, `gave up after ${attempts} attempts: ${message}`);
        return at;
      }
      const delay = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
      log.warn({ err, channel: lane.channel, destination: lane.destination, attempts, retryInMs: delay }, 'alert delivery failed; will retry');
      await queue.markRetry(ids, at + delay, message);
      return at + delay;
    }
  }

  function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = scheduler.setTimer(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
      p.then(
        (v) => {
          timer.cancel();
          resolve(v);
        },
        (e: unknown) => {
          timer.cancel();
          reject(e);
        },
      );
    });
  }

  async function poll(): Promise<void> {
    polling++;
    try {
      for (const d of await queue.pendingDestinations([...senders.keys()])) notify(d.channel, d.destination);
    } catch (err) {
      log.error({ err }, 'alert outbox poll failed');
    } finally {
      if (!stopped) pollTimer = scheduler.setTimer(() => void poll(), pollIntervalMs);
      polling--;
      changed();
    }
  }

  function notify(channel: AlertChannel, destination: string): void {
    const lane = laneFor(channel, destination);
    if (!lane) return;
    lane.dirty = true;
    lane.wake?.();
  }

  return {
    async start() {
      if (started) return;
      started = true;
      await poll();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      pollTimer?.cancel();
      for (const lane of lanes.values()) lane.wake?.();
      // A send hanging inside a platform SDK must not hold up shutdown; its row stays pending.
      let grace: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        grace = setTimeout(resolve, options.stopGraceMs ?? 5_000);
        grace.unref?.();
      });
      await Promise.race([Promise.all([...lanes.values()].map((l) => l.done)), timedOut]);
      clearTimeout(grace);
    },
    notify,
    async whenIdle(which) {
      if (isIdle(which)) return;
      await new Promise<void>((resolve) => idleWaiters.push({ which, resolve }));
    },
  };
}
