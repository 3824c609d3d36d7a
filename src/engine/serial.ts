/**
 * Runs async jobs one at a time in arrival order. The engine tick and orders from outside the tick
 * (signals, chat) share one: both read the portfolio, decide and write it, so interleaving them
 * would let two decisions spend the same cash.
 */
export interface Serial {
  run<T>(job: () => Promise<T>): Promise<T>;
}

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      const next = tail.then(job, job);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}
