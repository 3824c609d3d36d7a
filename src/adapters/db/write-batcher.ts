/**
 * Group commit: writes that arrive while one is in flight wait and go to the database together, in
 * one statement, when it returns. Under load many requests share one round trip (the embedded
 * database runs one statement at a time, so a statement per request would queue each request behind
 * all the others); when idle a write goes out at once (after the current turn of the event loop, so
 * requests arriving together share it).
 *
 * `flush` gets the items in arrival order and returns one result per item, in the same order. When
 * it throws, every item of that batch is rejected with the error (none is half-written: one
 * statement); later batches are tried again.
 */
export class WriteBatcher<T, R> {
  private waiting: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private flushing = false;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when every item added so far has been written (or refused). */
  drain(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private get idle(): boolean {
    return !this.flushing && !this.scheduled && this.waiting.length === 0;
  }

  /** Items waiting for the next flush (not counting the one in flight). */
  get pending(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.flushing || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.flushing || this.waiting.length === 0) return;
    this.flushing = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      const results = await this.flush(batch.map((b) => b.item));
      if (results.length !== batch.length) throw new Error(`write batch returned ${results.length} results for ${batch.length} items`);
      for (let k = 0; k < batch.length; k++) batch[k]!.resolve(results[k]!);
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.flushing = false;
      this.schedule();
      if (this.idle) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}
