import type { Logger } from '../../logger.ts';

/**
 * Work started after a webhook was answered (or after a polling batch was accepted). Failures are
 * logged, never thrown into the HTTP layer; `drain` lets stop() wait for work in flight.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.running.size;
  }

  /** False once draining began: webhooks should then answer 503 so the platform retries later. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** Run `fn` in the background; refused (logged) after close. Returns whether it was accepted. */
  run(what: string, fn: () => Promise<void>): boolean {
    if (this.closed) {
      this.logger.warn({ what }, 'chat is stopping: work dropped');
      return false;
    }
    const p: Promise<void> = Promise.resolve()
      .then(fn)
      .catch((err: unknown) => this.logger.error({ err, what }, 'chat background work failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
    return true;
  }

  /** Stop accepting work and wait up to `timeoutMs` for what is running. */
  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    while (this.running.size > 0) {
      const done = await Promise.race([Promise.allSettled([...this.running]).then(() => true), timeout.then(() => false)]);
      if (!done) {
        this.logger.warn({ pending: this.running.size }, 'chat work still running at stop');
        break;
      }
    }
    clearTimeout(timer);
  }
}
