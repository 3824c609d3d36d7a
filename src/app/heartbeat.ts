import type { DomainEvent } from '../domain/events.ts';
import type { Logger } from '../logger.ts';

export interface HeartbeatOptions {
  /** Silence (no completed tick) that raises the critical alert; 0 = no alert. */
  maxSilenceMs: number;
  /** Dead-man's switch pinged after successful ticks (healthchecks.io style). */
  url?: string;
  /** Least time between two pings: a tick every second must not become a request every second. */
  minPingIntervalMs?: number;
  startedAt: number;
  now: () => number;
  publish: (e: DomainEvent) => void;
  logger: Logger;
  fetch?: typeof fetch;
  /** How often silence is checked. */
  checkEveryMs?: number;
}

export interface Heartbeat {
  /** Call after every tick. */
  tick(ok: boolean): void;
  /** One silence check (the timer calls this; tests call it directly). */
  check(): void;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Two halves of "is the bot alive": inside, a critical alert when no tick has completed for
 * HEARTBEAT_MAX_SILENCE (and an all-clear when ticks resume); outside, a GET to HEARTBEAT_URL after
 * successful ticks, so a monitoring service raises the alarm when the whole process or machine is
 * gone — something no alert from inside can do.
 */
export function createHeartbeat(o: HeartbeatOptions): Heartbeat {
  const doFetch = o.fetch ?? fetch;
  const minGap = o.minPingIntervalMs ?? 60_000;
  let lastOk: number | undefined;
  let lastPing = -Infinity;
  let silentSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const ping = () => {
    if (!o.url || inFlight || o.now() - lastPing < minGap) return;
    lastPing = o.now();
    inFlight = doFetch(o.url, { method: 'GET', signal: AbortSignal.timeout(10_000) })
      .then((res) => {
        if (!res.ok) o.logger.warn({ status: res.status }, 'heartbeat ping answered with an error');
      })
      .catch((err: Error) => o.logger.warn({ err: err.message }, 'heartbeat ping failed'))
      .finally(() => {
        inFlight = undefined;
      });
  };

  return {
    tick(ok) {
      if (!ok) return;
      lastOk = o.now();
      if (silentSince !== undefined) {
        o.publish({ type: 'heartbeat', ts: lastOk, state: 'restored', silentSeconds: Math.round((lastOk - silentSince) / 1000), lastTickAt: lastOk });
        silentSince = undefined;
      }
      ping();
    },
    check() {
      if (o.maxSilenceMs <= 0 || silentSince !== undefined) return;
      const since = lastOk ?? o.startedAt;
      const silent = o.now() - since;
      if (silent > o.maxSilenceMs) {
        silentSince = since;
        o.logger.error({ silentSeconds: Math.round(silent / 1000) }, 'no engine tick completed within HEARTBEAT_MAX_SILENCE');
        o.publish({ type: 'heartbeat', ts: o.now(), state: 'missed', silentSeconds: Math.round(silent / 1000), lastTickAt: lastOk });
      }
    },
    start() {
      if (o.maxSilenceMs <= 0 || timer) return;
      timer = setInterval(() => this.check(), o.checkEveryMs ?? Math.min(5_000, Math.max(250, o.maxSilenceMs / 4)));
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
