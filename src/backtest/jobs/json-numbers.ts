/**
 * JSON keeps no Infinity or NaN (a profit factor without losing trades is Infinity): job data and
 * outputs go through these so a queued sweep ranks and prints exactly what a local one does.
 */
const TAG = '$number';

/** A deep copy where every non-finite number is `{ $number: 'Infinity' | '-Infinity' | 'NaN' }`. */
export function toJsonSafe<T>(value: T): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [TAG]: String(value) };
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonSafe(v);
    return out;
  }
  return value;
}

/** The inverse of toJsonSafe. */
export function fromJsonSafe<T>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => fromJsonSafe(v)) as T;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === TAG && typeof o[TAG] === 'string') return Number(o[TAG]) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = fromJsonSafe(v);
    return out as T;
  }
  return value as T;
}
