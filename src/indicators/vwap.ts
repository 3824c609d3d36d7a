import type { IndicatorStream } from './stream.ts';
import { checkPeriod, checkSameLength } from './validate.ts';

/** Typical price as TA-Lib TYPPRICE; shared by every VWAP kernel and stream so they agree bit for bit. */
export function typical(h: number, l: number, c: number): number {
  return (h + l + c) / 3;
}

/**
 * Rolling n-bar volume-weighted average of the typical price (high + low + close) / 3:
 * Σ typical × volume / Σ volume over the last n bars; first value at index n−1.
 * NaN where the window's volume is 0 (no trades: the average is undefined). A bar with any NaN
 * field restarts the warm-up. Precision: the two window sums are updated in O(1) and recomputed
 * exactly every n updates, so rounding drift is bounded whatever the series length; a run of
 * n zero-volume bars resets them to an exact 0.
 */
export function vwap(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, n: number): Float64Array<ArrayBuffer> {
  checkPeriod('vwap', 'n', n);
  const len = checkSameLength('vwap', { high, low, close, volume });
  const out = new Float64Array(len);
  // typical × volume of the last n bars, so the bar leaving the window is not recomputed
  const pv = new Float64Array(n);
  let slot = 0; // where the current bar goes; once the window is full, also its oldest bar
  let seg = 0;
  let zeroRun = 0;
  let pvSum = 0;
  let vSum = 0;
  let since = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (h !== h || l !== l || c !== c || v !== v) {
      seg = 0;
      slot = 0;
      zeroRun = 0;
      out[i] = Number.NaN;
      continue;
    }
    seg++;
    zeroRun = v === 0 ? zeroRun + 1 : 0;
    const pvIn = typical(h, l, c) * v;
    const pvOut = pv[slot]!;
    pv[slot] = pvIn;
    slot = slot + 1 === n ? 0 : slot + 1;
    if (seg < n) {
      out[i] = Number.NaN;
      continue;
    }
    if (zeroRun >= n) {
      pvSum = 0;
      vSum = 0;
      since = 0;
    } else if (seg === n || since === n) {
      // oldest to newest: the ring from `slot` (the oldest) round to the bar just written
      pvSum = 0;
      vSum = 0;
      for (let j = 0, k = slot, b = i - n + 1; j < n; j++, b++) {
        pvSum += pv[k]!;
        vSum += volume[b]!;
        k = k + 1 === n ? 0 : k + 1;
      }
      since = 0;
    } else {
      pvSum += pvIn - pvOut;
      vSum += v - volume[i - n]!;
      since++;
    }
    out[i] = pvSum / vSum;
  }
  return out;
}

type VwapArgs = [high: number, low: number, close: number, volume: number];

/** Streaming rolling VWAP: `next(high, low, close, volume)`, bit-identical to {@link vwap}. */
export function createVwapStream(n: number): IndicatorStream<VwapArgs, number> {
  checkPeriod('vwap', 'n', n);
  return new VwapStream(n);
}

class VwapStream implements IndicatorStream<VwapArgs, number> {
  value = Number.NaN;
  private readonly n: number;
  private readonly pv: Float64Array; // typical × volume of the last n bars, oldest at `head`
  private readonly vol: Float64Array;
  private head = 0;
  private seg = 0;
  private zeroRun = 0;
  private pvSum = 0;
  private vSum = 0;
  private since = 0;

  constructor(n: number) {
    this.n = n;
    this.pv = new Float64Array(n);
    this.vol = new Float64Array(n);
  }

  next(h: number, l: number, c: number, v: number): number {
    const n = this.n;
    if (h !== h || l !== l || c !== c || v !== v) {
      this.reset();
      return this.value;
    }
    this.seg++;
    this.zeroRun = v === 0 ? this.zeroRun + 1 : 0;
    const pvIn = typical(h, l, c) * v;
    let pvOut = 0;
    let vOut = 0;
    if (this.seg <= n) {
      this.pv[this.seg - 1] = pvIn;
      this.vol[this.seg - 1] = v;
      if (this.seg < n) return this.value;
    } else {
      pvOut = this.pv[this.head]!;
      vOut = this.vol[this.head]!;
      this.pv[this.head] = pvIn;
      this.vol[this.head] = v;
      this.head = this.head + 1 === n ? 0 : this.head + 1;
    }
    if (this.zeroRun >= n) {
      this.pvSum = 0;
      this.vSum = 0;
      this.since = 0;
    } else if (this.seg === n || this.since === n) {
      let pvSum = 0;
      let vSum = 0;
      let k = this.head;
      for (let j = 0; j < n; j++) {
        pvSum += this.pv[k]!;
        vSum += this.vol[k]!;
        k = k + 1 === n ? 0 : k + 1;
      }
      this.pvSum = pvSum;
      this.vSum = vSum;
      this.since = 0;
    } else {
      this.pvSum += pvIn - pvOut;
      this.vSum += v - vOut;
      this.since++;
    }
    this.value = this.pvSum / this.vSum;
    return this.value;
  }

  reset(): void {
    this.head = 0;
    this.seg = 0;
    this.zeroRun = 0;
    this.pvSum = 0;
    this.vSum = 0;
    this.since = 0;
    this.value = Number.NaN;
  }
}
