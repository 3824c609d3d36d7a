/** p50/p99 of recent request latencies (ms), for /health and /metrics. */
export interface LatencySummary {
  /** Samples the figures are computed from (at most the window). */
  count: number;
  p50Ms?: number;
  p99Ms?: number;
}

/**
 * The last `window` latencies in a ring buffer; percentiles by sorting a copy on demand (read a few
 * times a minute, written on every request — so writes are O(1)).
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(window = 1_000) {
    if (!(window >= 1)) throw new RangeError('latency window must hold at least one sample');
    this.samples = new Float64Array(window);
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
  }

  summary(): LatencySummary {
    if (this.filled === 0) return { count: 0 };
    const sorted = this.samples.slice(0, this.filled).sort();
    return { count: this.filled, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) };
  }
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sorted[rank - 1]!;
}
