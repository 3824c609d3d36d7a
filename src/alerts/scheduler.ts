/**
 * Time for the alert outbox: the current time and one-shot timers. Production uses the real clock;
 * tests use ManualScheduler and move time by hand, so pacing (1 message/s), 429 waits and backoff are
 * tested without sleeping. Timer callbacks run synchronously when due.
 */
export interface Scheduler {
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const t = setTimeout(callback, Math.max(0, delayMs));
    // Pending alert timers must not keep a stopping process alive; stop() cancels them anyway.
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A scheduler whose time only moves when told to. */
export class ManualScheduler implements Scheduler {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; seq: number; callback: () => void }>();

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, delayMs), seq: id, callback });
    return { cancel: () => this.timers.delete(id) };
  }

  /** When the next timer fires, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const tm of this.timers.values()) if (next === undefined || tm.at < next) next = tm.at;
    return next;
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Move to `at` (never backwards), firing due timers in time order. */
  advanceTo(at: number): void {
    for (;;) {
      let due: { id: number; at: number; seq: number; callback: () => void } | undefined;
      for (const [id, tm] of this.timers) {
        if (tm.at <= at && (!due || tm.at < due.at || (tm.at === due.at && tm.seq < due.seq))) due = { id, ...tm };
      }
      if (!due) break;
      this.timers.delete(due.id);
      this.t = Math.max(this.t, due.at);
      due.callback();
    }
    this.t = Math.max(this.t, at);
  }

  advance(ms: number): void {
    this.advanceTo(this.t + ms);
  }
}
