import type { FollowUp, FollowUpSink, Reply } from './reply.ts';

export type { FollowUp, FollowUpSink };

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
