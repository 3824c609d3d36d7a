import type { LeaderLock } from '../adapters/db/leader-lock.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';

export type Role = 'leader' | 'standby';

export interface Leadership {
  role(): Role;
  /** Take the lock if free (then `onLead` runs before this resolves), else stand by and poll. */
  start(): Promise<void>;
  /** Stop polling and release the lock (shutdown). */
  stop(): Promise<void>;
}

/**
 * Exactly one process trades: the one holding the leader lock. A standby polls every `intervalMs`
 * and leads as soon as the lock is free (the leader died: Postgres dropped its session); a leader
 * checks every `intervalMs` that its session still holds the lock and stops trading at once when it
 * does not. Without a lock (PGlite: one process per data directory) the process always leads.
 */
export function createLeadership(d: { lock?: LeaderLock; intervalMs: number; logger: Logger; bus: EventBus; now: () => number; onLead: () => Promise<void>; onLose: () => Promise<void> }): Leadership {
  let role: Role = d.lock ? 'standby' : 'leader';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let busy = false;

  const lead = async () => {
    role = 'leader';
    d.logger.info('leader: this process trades');
    await d.onLead();
  };

  const check = async () => {
    if (busy || stopped || !d.lock) return;
    busy = true;
    try {
      if (role === 'standby') {
        if (await d.lock.tryAcquire()) {
          d.bus.publish({ type: 'reconciliation', ts: d.now(), severity: 'warning', lines: ['this process took over as leader (the previous leader stopped holding the lock); reconciled before its first order'] });
          await lead();
        }
      } else if (!(await d.lock.verify())) {
        role = 'standby';
        d.logger.error('lost the leader lock: trading stopped in this process');
        d.bus.publish({ type: 'exchange-error', ts: d.now(), kind: 'leadership', message: 'this process lost the leader lock (database session lost): it stopped trading and stands by', critical: true });
        await d.onLose();
      }
    } catch (err) {
      d.logger.warn({ err, role }, 'leader check failed; retrying');
      if (role === 'leader' && !(d.lock.held)) {
        role = 'standby';
        await d.onLose().catch((e: unknown) => d.logger.error({ err: e }, 'could not stop trading after losing the lock'));
      }
    } finally {
      busy = false;
    }
  };

  return {
    role: () => role,
    async start() {
      stopped = false;
      if (!d.lock) {
        await lead();
        return;
      }
      if (await d.lock.tryAcquire()) await lead();
      else d.logger.info('standby: another process holds the leader lock; answering read-only requests and waiting to take over');
      timer = setInterval(() => void check(), d.intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await d.lock?.close();
      role = 'standby';
    },
  };
}
