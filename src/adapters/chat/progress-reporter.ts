/**
 * Progress of a slow command shown by editing one message. Platforms limit edits (Telegram about one
 * per second per chat), so updates are coalesced: at most one edit per `minIntervalMs`, the latest
 * text wins, identical text is skipped. `finish` cancels a pending edit so no timer outlives the command.
 */
export interface ProgressReporter {
  report(text: string): Promise<void>;
  finish(): Promise<void>;
}

export function createProgressReporter(edit: (text: string) => Promise<void>, minIntervalMs = 1_000, now: () => number = Date.now): ProgressReporter {
  let lastText: string | undefined;
  let lastAt = -Infinity;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let finished = false;

  const send = (text: string) => {
    lastText = text;
    lastAt = now();
    inFlight = inFlight.then(() => edit(text)).catch(() => {});
    return inFlight;
  };

  return {
    async report(text) {
      if (finished || text === lastText || text === pending) return;
      const wait = lastAt + minIntervalMs - now();
      if (wait <= 0 && !timer) {
        await send(text);
        return;
      }
      pending = text;
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          const t = pending;
          pending = undefined;
          if (t !== undefined && !finished) void send(t);
        }, Math.max(0, wait));
      }
    },
    async finish() {
      finished = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await inFlight;
    },
  };
}
