import type { ExternalFactors } from '../ports/external-factors.ts';

/** In-memory ExternalFactors: the newest value per (name, symbol). Non-finite values are refused. */
export class FactorBoard implements ExternalFactors {
  private readonly values = new Map<string, { value: number; ts: number }>();

  put(name: string, value: number, ts: number, symbol?: string): void {
    if (!Number.isFinite(value) || !Number.isFinite(ts)) throw new RangeError(`factor ${name}: value and time must be finite numbers`);
    const key = `${name}|${symbol ?? ''}`;
    const cur = this.values.get(key);
    if (!cur || cur.ts <= ts) this.values.set(key, { value, ts });
  }

  latest(name: string, now: number, maxAgeMs: number, symbol?: string): number | undefined {
    for (const key of symbol ? [`${name}|${symbol}`, `${name}|`] : [`${name}|`]) {
      const v = this.values.get(key);
      if (v && now - v.ts <= maxAgeMs) return v.value;
    }
    return undefined;
  }
}
