import type { AlertChannel } from './alert.ts';
import type { AlertOutbox } from './outbox.ts';

/**
 * The alert outbox of a process that sends only while it leads. Each leadership term gets its own
 * outbox: `start` (leadership won) makes one and delivers what is pending, `stop` (leadership lost,
 * or shutdown) stops it after its sends in flight — so a process that lost the leader lock no longer
 * sends next to the new leader. Rows queued meanwhile stay in the store for whichever process leads.
 */
export interface LeaderOutbox {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The fan-out queued rows: the current term's outbox looks at once; without one they wait in the store. */
  notify(channel: AlertChannel, destination: string): void;
}

export function createLeaderOutbox(make: () => AlertOutbox): LeaderOutbox {
  let current: AlertOutbox | undefined;
  return {
    async start() {
      if (current) return;
      current = make();
      await current.start();
    },
    async stop() {
      const term = current;
      current = undefined;
      await term?.stop();
    },
    notify(channel, destination) {
      current?.notify(channel, destination);
    },
  };
}
