import type { IndicatorStream } from './stream.ts';
import { checkSameLength } from './validate.ts';

/**
 * True range as TA-Lib TRANGE: max(high − low, |prevClose − high|, |prevClose − low|). It needs the
 * previous close, so index 0 is NaN (TA-Lib's lookback of 1). A bar with any NaN field restarts:
 * that bar and the next are NaN.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array<ArrayBuffer> {
  const len = checkSameLength('trueRange', { high, low, close });
  const out = new Float64Array(len);
  let prevClose = Number.NaN; // NaN = no clean previous bar
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c) {
      prevClose = Number.NaN;
      out[i] = Number.NaN;
      continue;
    }
    out[i] = prevClose === prevClose ? trOf(h, l, prevClose) : Number.NaN;
    prevClose = c;
  }
  return out;
}

/** One true range; TA-Lib's comparison order, shared with ATR so both agree bit for bit. */
export function trOf(h: number, l: number, prevClose: number): number {
  let greatest = h - l;
  const a = Math.abs(prevClose - h);
  if (a > greatest) greatest = a;
  const b = Math.abs(prevClose - l);
  if (b > greatest) greatest = b;
  return greatest;
}

/** Streaming true range: `next(high, low, close)`, bit-identical to {@link trueRange}. */
export function createTrueRangeStream(): IndicatorStream<[high: number, low: number, close: number], number> {
  return new TrueRangeStream();
}

class TrueRangeStream implements IndicatorStream<[high: number, low: number, close: number], number> {
  value = Number.NaN;
  private prevClose = Number.NaN;
  next(h: number, l: number, c: number): number {
    if (h !== h || l !== l || c !== c) {
      this.reset();
      return this.value;
    }
    this.value = this.prevClose === this.prevClose ? trOf(h, l, this.prevClose) : Number.NaN;
    this.prevClose = c;
    return this.value;
  }
  reset(): void {
    this.prevClose = Number.NaN;
    this.value = Number.NaN;
  }
}
