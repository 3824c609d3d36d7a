/** One log line as kept in memory: already scrubbed of secrets by the logger. */
export interface LogLine {
  ts: number;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  component?: string;
  /** An error's message (never its stack). */
  error?: string;
}

/**
 * The process's recent log lines (`/logs`). Implemented by a bounded ring the logger writes into
 * (src/log-ring.ts), so reading it costs no I/O and never grows without bound.
 */
export interface LogSource {
  /** The newest `n` lines at `minLevel` or above, oldest first. */
  recent(n: number, minLevel?: LogLine['level']): LogLine[];
}
