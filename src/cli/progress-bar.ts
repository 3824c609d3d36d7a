import type { Writable } from 'node:stream';

/** A stream the bar writes to: a terminal gets a bar redrawn in place, anything else plain lines. */
export type ProgressStream = Writable & { isTTY?: boolean; columns?: number };

export interface ProgressBarOptions {
  /** Shown first, e.g. `fetching BTC/USDT 1m`. */
  label: string;
  /** Units of work in all (unknown: no percentage, no ETA). Can be changed by `update`. */
  total?: number;
  /** Unit name for counts, e.g. `candles`. */
  unit?: string;
  /** Clock (ms), injectable for tests. */
  now?: () => number;
  /** Terminal redraws at most this often (default 100 ms). */
  redrawMs?: number;
  /** Without a terminal: one line at most this often (default 5 s). */
  plainIntervalMs?: number;
  /** Force terminal or plain mode (default: the stream's `isTTY`). */
  tty?: boolean;
}

export interface ProgressBar {
  /** Record progress: `done` units so far (and the total if it changed). Cheap to call often. */
  update(done: number, total?: number): void;
  /** Draw the final state and end the line (terminal) or print a last line (plain). */
  finish(note?: string): void;
}

const BAR_WIDTH = 24;

/** `1,234,567` — counts are easier to read grouped. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Remaining time as `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(0)}k/s`;
  if (perSecond >= 1_000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${perSecond.toFixed(perSecond >= 10 ? 0 : 1)}/s`;
}

/**
 * A progress bar with rate and ETA for long CLI jobs (downloads, imports). On a terminal it redraws
 * one line in place (`\r`, throttled); otherwise — a pipe, a log file, CI — it prints a plain line
 * every few seconds so logs stay readable. The ETA uses the average rate since the start, which is
 * steadier than the last interval's for network-bound work.
 */
export function createProgressBar(stream: ProgressStream, options: ProgressBarOptions): ProgressBar {
  const now = options.now ?? Date.now;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const redrawMs = options.redrawMs ?? 100;
  const plainMs = options.plainIntervalMs ?? 5_000;
  const unit = options.unit ? ` ${options.unit}` : '';
  const started = now();
  let total = options.total;
  let done = 0;
  let lastDraw = -Infinity;
  let printedPlain = false;
  let finished = false;

  const describe = (): { pct?: number; text: string } => {
    const elapsed = now() - started;
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const parts: string[] = [];
    let pct: number | undefined;
    if (total !== undefined && total > 0) {
      pct = Math.min(1, done / total);
      parts.push(`${(pct * 100).toFixed(pct < 0.1 ? 1 : 0)}%`, `${formatCount(done)}/${formatCount(total)}${unit}`);
    } else {
      parts.push(`${formatCount(done)}${unit}`);
    }
    if (rate > 0) parts.push(formatRate(rate));
    if (total !== undefined && total > done && rate > 0) parts.push(`ETA ${formatDuration(((total - done) / rate) * 1000)}`);
    else if (total !== undefined && done >= total) parts.push(`took ${formatDuration(elapsed)}`);
    return { pct, text: parts.join(' · ') };
  };

  const drawTty = (): void => {
    const { pct, text } = describe();
    let line = options.label;
    if (pct !== undefined) {
      const full = Math.round(pct * BAR_WIDTH);
      line += ` [${'█'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}]`;
    }
    line += ` ${text}`;
    const cols = stream.columns ?? 100;
    if (line.length > cols - 1) line = line.slice(0, Math.max(10, cols - 1));
    stream.write(`\r\x1b[2K${line}`);
  };

  const drawPlain = (): void => {
    stream.write(`${options.label}: ${describe().text}\n`);
  };

  return {
    update(n: number, t?: number) {
      if (finished) return;
      done = n;
      if (t !== undefined) total = t;
      const at = now();
      if (tty) {
        if (at - lastDraw >= redrawMs) {
          lastDraw = at;
          drawTty();
        }
      } else if (lastDraw === -Infinity) {
        // The first plain line waits one interval: short jobs print only their summary.
        lastDraw = at;
      } else if (at - lastDraw >= plainMs) {
        lastDraw = at;
        printedPlain = true;
        drawPlain();
      }
    },
    finish(note?: string) {
      if (finished) return;
      finished = true;
      if (tty) {
        drawTty();
        stream.write(note ? ` — ${note}\n` : '\n');
      } else if (printedPlain) {
        // Only jobs that already printed progress lines get a closing one.
        stream.write(`${options.label}: ${describe().text}${note ? ` — ${note}` : ''}\n`);
      }
    },
  };
}
