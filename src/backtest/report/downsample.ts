/**
 * Reduce a long series to about `target` points for charts, keeping each bucket's minimum and
 * maximum (in time order) so spikes and drawdowns stay visible. O(n), one output allocation.
 * Returns [x, y] pairs as two arrays.
 */
export function downsampleMinMax(x: ArrayLike<number>, y: ArrayLike<number>, target: number): { x: number[]; y: number[] } {
  const n = y.length;
  if (n <= target || target < 4) return { x: Array.from({ length: n }, (_, i) => x[i]!), y: Array.from({ length: n }, (_, i) => y[i]!) };
  const buckets = Math.floor(target / 2);
  const size = n / buckets;
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (y[i]! < y[lo]!) lo = i;
      if (y[i]! > y[hi]!) hi = i;
    }
    const a = Math.min(lo, hi);
    const c = Math.max(lo, hi);
    ox.push(x[a]!);
    oy.push(y[a]!);
    if (c !== a) {
      ox.push(x[c]!);
      oy.push(y[c]!);
    }
  }
  // Always end on the real last point.
  if (ox[ox.length - 1] !== x[n - 1]) {
    ox.push(x[n - 1]!);
    oy.push(y[n - 1]!);
  }
  return { x: ox, y: oy };
}

/** Drawdown in % (≤ 0) of an equity series against its running peak (starting at `initial`). */
export function drawdownSeries(equity: ArrayLike<number>, initial: number): number[] {
  const out: number[] = new Array(equity.length);
  let peak = initial;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? (e / peak - 1) * 100 : 0;
  }
  return out;
}
