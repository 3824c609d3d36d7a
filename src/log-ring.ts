import { Writable } from 'node:stream';
import { scrubSecrets } from './logger.ts';
import type { LogLine, LogSource } from './ports/log-source.ts';

const LEVELS: Record<number, LogLine['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const RANK: Record<LogLine['level'], number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Lines kept by default: a few minutes of a busy bot, a few hundred KB at most. */
export const LOG_RING_SIZE = 1000;
const MAX_MESSAGE = 500;

/**
 * A bounded ring of the process's log lines, fed by the pino logger as one more destination
 * (`createLogger({ ring })`). The logger's formatters have already scrubbed each line; the ring
 * scrubs once more, keeps no stack traces and cuts long messages, because `/logs` sends them to a chat.
 */
export class LogRing implements LogSource {
  private readonly lines: Array<LogLine | undefined>;
  private next = 0;
  private count = 0;
  /** The stream pino writes newline-delimited JSON into. */
  readonly stream: Writable;

  constructor(readonly capacity = LOG_RING_SIZE) {
    this.lines = new Array<LogLine | undefined>(capacity);
    let partial = '';
    this.stream = new Writable({
      write: (chunk: Buffer | string, _enc, done) => {
        const text = partial + chunk.toString();
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const p of parts) if (p.trim()) this.add(p);
        done();
      },
    });
  }

  /** Add one JSON log line (pino's format); a line that is not JSON is kept as an info message. */
  add(json: string): void {
    let line: LogLine;
    try {
      const o = JSON.parse(json) as Record<string, unknown>;
      const err = (o.err ?? o.error) as { message?: unknown } | string | undefined;
      const error = typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : undefined;
      line = {
        ts: typeof o.time === 'number' ? o.time : Date.now(),
        level: LEVELS[Number(o.level)] ?? 'info',
        msg: cut(scrubSecrets(String(o.msg ?? ''))),
        component: typeof o.component === 'string' ? o.component : undefined,
        error: error === undefined ? undefined : cut(scrubSecrets(error.split('\n')[0]!)),
      };
    } catch {
      line = { ts: Date.now(), level: 'info', msg: cut(scrubSecrets(json)) };
    }
    this.lines[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  recent(n: number, minLevel: LogLine['level'] = 'trace'): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 1; i <= this.count && out.length < n; i++) {
      const line = this.lines[(this.next - i + this.capacity) % this.capacity]!;
      if (RANK[line.level] >= RANK[minLevel]) out.push(line);
    }
    return out.reverse();
  }
}

function cut(s: string): string {
  return s.length <= MAX_MESSAGE ? s : `${s.slice(0, MAX_MESSAGE - 1)}…`;
}
