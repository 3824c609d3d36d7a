import type { Reply } from './reply.ts';

/** Where a transport shows a follow-up job: progress edits its first answer, the result is a new message. */
export interface FollowUpSink {
  /** The job moved on: replace the answer with this (platforms that cannot edit ignore it). */
  progress(update: Reply): void;
  /** The job ended (done or failed): this is its result. Called once, last. */
  done(result: Reply): void;
}

/**
 * Work a command started that goes on after its answer — a backtest's progress and result. A command
 * returns one in `Reply.followUp`; every transport shows it the same way (src/adapters/chat/follow-up.ts),
 * so no transport knows about backtests.
 */
export interface FollowUp {
  /** For logs: `backtest:12`. */
  readonly id: string;
  /**
   * Start showing the job. The sink first receives the latest state (updates that happened before the
   * answer was sent are not lost), then every change. Returns a function that stops watching.
   */
  watch(sink: FollowUpSink): () => void;
}

/** A follow-up over a stream of states: `toUpdate` maps a state to progress, or to the final result. */
export function followUpOf<S>(
  id: string,
  subscribe: (listener: (state: S) => void) => () => void,
  initial: S,
  toUpdate: (state: S) => { progress: Reply } | { done: Reply },
): FollowUp {
  let last = initial;
  let finished = false;
  const sinks = new Set<FollowUpSink>();
  const deliver = (sink: FollowUpSink, state: S) => {
    const u = toUpdate(state);
    if ('done' in u) sink.done(u.done);
    else sink.progress(u.progress);
  };
  // Subscribe at once: the job may move before any transport watches it.
  const off = subscribe((state) => {
    if (finished) return;
    last = state;
    finished = 'done' in toUpdate(state);
    for (const sink of sinks) deliver(sink, state);
    if (finished) {
      sinks.clear();
      off();
    }
  });
  if ('done' in toUpdate(initial)) {
    finished = true;
    off();
  }
  return {
    id,
    watch(sink) {
      deliver(sink, last);
      if (finished) return () => {};
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}
