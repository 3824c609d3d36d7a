import type { Writable } from 'node:stream';

/**
 * A one-line progress bar for terminals (`\r` redraws, at most ~20 times a second). A no-op when the
 * stream is not a TTY, so pipes and CI logs stay clean.
 */
export function createProgressBar(out: Writable & { isTTY?: boolean; columns?: number }, label: string): { update(fraction: number): void; done(): void } {
  if (!out.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const draw = (f: number) => {
    const width = Math.max(10, Math.min(40, (out.columns ?? 80) - label.length - 30));
    const filled = Math.round(width * f);
    const elapsed = (Date.now() - started) / 1000;
    const eta = f > 0.02 ? (elapsed * (1 - f)) / f : NaN;
    const tail = Number.isFinite(eta) ? ` ETA ${eta.toFixed(0)}s` : '';
    out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%${tail}   `);
    drawn = true;
  };
  return {
    update(f) {
      const now = Date.now();
      if (now - lastDraw < 50 && f < 1) return;
      lastDraw = now;
      draw(Math.max(0, Math.min(1, f)));
    },
    done() {
      if (drawn) out.write('\r\x1b[2K');
    },
  };
}
