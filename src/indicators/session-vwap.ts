import type { IndicatorStream } from './stream.ts';
import { checkFinite, checkSameLength } from './validate.ts';
import { typical } from './vwap.ts';

/** One UTC day in milliseconds: the default session for {@link sessionVwap}. */
export const DAY_MS = 86_400_000;

/**
 * Session (anchored) VWAP: Σ typical × volume / Σ volume since the start of the bar's session,
 * where the session of a bar is floor((ts − offsetMs) / sessionMs) — by default the UTC day, so
 * the average re-anchors at 00:00 UTC. No warm-up. NaN while the session has no volume yet.
 * NaN policy differs from the rolling kernels on purpose: a bar with a NaN field gets NaN and is
 * skipped (the session goes on), because a session is defined by time, not by a bar count, and a
 * missing bar simply had no trades.
 */
export function sessionVwap(
  ts: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  sessionMs: number = DAY_MS,
  offsetMs = 0,
): Float64Array<ArrayBuffer> {
  checkSession(sessionMs, offsetMs);
  const len = checkSameLength('sessionVwap', { ts, high, low, close, volume });
  const out = new Float64Array(len);
  let session = Number.NaN;
  let pvSum = 0;
  let vSum = 0;
  for (let i = 0; i < len; i++) {
    const t = ts[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (t !== t || h !== h || l !== l || c !== c || v !== v) {
      out[i] = Number.NaN;
      continue;
    }
    const s = Math.floor((t - offsetMs) / sessionMs);
    if (s !== session) {
      session = s;
      pvSum = 0;
      vSum = 0;
    }
    pvSum += typical(h, l, c) * v;
    vSum += v;
    out[i] = pvSum / vSum;
  }
  return out;
}

function checkSession(sessionMs: number, offsetMs: number): void {
  checkFinite('sessionVwap', 'sessionMs', sessionMs);
  checkFinite('sessionVwap', 'offsetMs', offsetMs);
  if (sessionMs <= 0) throw new RangeError(`sessionVwap: sessionMs must be positive, got ${sessionMs}`);
}

type SessionVwapArgs = [ts: number, high: number, low: number, close: number, volume: number];

/** Streaming session VWAP: `next(ts, high, low, close, volume)`, bit-identical to {@link sessionVwap}. */
export function createSessionVwapStream(sessionMs: number = DAY_MS, offsetMs = 0): IndicatorStream<SessionVwapArgs, number> {
  checkSession(sessionMs, offsetMs);
  return new SessionVwapStream(sessionMs, offsetMs);
}

class SessionVwapStream implements IndicatorStream<SessionVwapArgs, number> {
  value = Number.NaN;
  private readonly sessionMs: number;
  private readonly offsetMs: number;
  private session = Number.NaN;
  private pvSum = 0;
  private vSum = 0;
  constructor(sessionMs: number, offsetMs: number) {
    this.sessionMs = sessionMs;
    this.offsetMs = offsetMs;
  }
  next(t: number, h: number, l: number, c: number, v: number): number {
    if (t !== t || h !== h || l !== l || c !== c || v !== v) {
      this.value = Number.NaN;
      return this.value;
    }
    const s = Math.floor((t - this.offsetMs) / this.sessionMs);
    if (s !== this.session) {
      this.session = s;
      this.pvSum = 0;
      this.vSum = 0;
    }
    this.pvSum += typical(h, l, c) * v;
    this.vSum += v;
    this.value = this.pvSum / this.vSum;
    return this.value;
  }
  reset(): void {
    this.session = Number.NaN;
    this.pvSum = 0;
    this.vSum = 0;
    this.value = Number.NaN;
  }
}
