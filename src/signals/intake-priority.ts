/**
 * The signal intake goes before signal processing. The webhook answers within milliseconds only if
 * processing (risk gate, orders, fills: many database statements, which the embedded database runs
 * on the same thread) does not take the event loop while requests are waiting. The route marks each
 * request in flight; the processor waits for a quiet moment before each signal — at most `maxWaitMs`,
 * so a steady stream of requests delays processing but never stops it.
 */
export class IntakePriority {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly maxWaitMs = 200) {}

  /** A request arrived; call `leave()` when it is answered. */
  enter(): void {
    this.inFlight++;
  }

  leave(): void {
    if (this.inFlight > 0) this.inFlight--;
    if (this.inFlight === 0) this.wake();
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves when no request is in flight, or after `maxWaitMs`; always after a turn of the event loop. */
  quiet(): Promise<void> {
    return new Promise((resolve) => {
      setImmediate(() => {
        if (this.inFlight === 0) return resolve();
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(finish, this.maxWaitMs);
        this.waiters.push(finish);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
