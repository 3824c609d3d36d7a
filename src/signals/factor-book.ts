import type { FactorFeed, FactorReading, FactorView } from '../ports/factors.ts';

/**
 * The latest value of every factor in memory (strategies read it synchronously on every candle),
 * persisted through `persist`. Stale values — older than `maxAgeMs` — are left out of `fresh` and
 * reported once through `onStale` until a newer value arrives.
 */
export class FactorBook implements FactorFeed {
  private readonly latestBy = new Map<string, FactorReading>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly o: {
      maxAgeMs: number;
      now: () => number;
      persist?: (readings: readonly FactorReading[], source: string) => Promise<void>;
      onStale?: (view: FactorView) => void;
    },
  ) {}

  /** Load what was stored (at start). */
  warm(readings: readonly FactorReading[]): void {
    for (const r of readings) this.keep(r);
  }

  async record(readings: readonly FactorReading[], source: string): Promise<number> {
    await this.o.persist?.(readings, source);
    let newer = 0;
    for (const r of readings) if (this.keep(r)) newer++;
    return newer;
  }

  private keep(r: FactorReading): boolean {
    const key = `${r.symbol}\u0000${r.name}`;
    const known = this.latestBy.get(key);
    if (known && known.ts >= r.ts) return false;
    this.latestBy.set(key, { ...r });
    this.warned.delete(key);
    return true;
  }

  fresh(symbol: string): Readonly<Record<string, number>> {
    const now = this.o.now();
    const out: Record<string, number> = {};
    for (const [key, r] of this.latestBy) {
      if (r.symbol !== symbol && r.symbol !== '*') continue;
      if (r.symbol === '*' && this.latestBy.has(`${symbol}\u0000${r.name}`)) continue;
      if (now - r.ts > this.o.maxAgeMs) {
        if (!this.warned.has(key)) {
          this.warned.add(key);
          this.o.onStale?.({ ...r, ageSeconds: Math.round((now - r.ts) / 1000), stale: true });
        }
        continue;
      }
      out[r.name] = r.value;
    }
    return out;
  }

  put(name: string, value: number, ts: number, symbol?: string): void {
    if (Number.isFinite(value)) this.keep({ symbol: symbol ?? '*', name, value, ts });
  }

  latest(name: string, now: number, maxAgeMs: number, symbol?: string): number | undefined {
    for (const key of [symbol, '*']) {
      if (key === undefined) continue;
      const r = this.latestBy.get(`${key}\u0000${name}`);
      if (r && now - r.ts <= Math.min(maxAgeMs, this.o.maxAgeMs)) return r.value;
    }
    return undefined;
  }

  all(): FactorView[] {
    const now = this.o.now();
    return [...this.latestBy.values()]
      .map((r) => ({ ...r, ageSeconds: Math.max(0, Math.round((now - r.ts) / 1000)), stale: now - r.ts > this.o.maxAgeMs }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.name.localeCompare(b.name));
  }
}
