const EMPTY = new Float64Array(0);

/**
 * One indicator series of a strategy that prepares by ranges (`StrategyInstance.prepareRange`): the
 * value of row i is `values[i - base]`. Kept whole (`keep`: a chart will ask for the series) it is
 * one array over every row, `base` 0; otherwise it holds only the current range plus the `lookback`
 * rows before it that `onCandle` reads (sma-cross compares with the row before: lookback 1), carried
 * over from the previous range — a few KB that stay in cache instead of an array per series over the
 * whole history.
 */
export class RangeSeries {
  values: Float64Array = EMPTY;
  base = 0;
  /** Row after the last one of the current range. */
  private to = 0;
  private whole = false;

  constructor(private readonly lookback = 0) {}

  /**
   * Make room for rows `[from, to)` of a series of `total` rows. Ranges are consecutive from row 0;
   * a range from 0 starts a new series (a new array when whole: a result may still hold the last one).
   */
  begin(from: number, to: number, total: number, keep: boolean): void {
    if (from === 0) {
      const wasWhole = this.whole;
      this.whole = keep;
      if (keep) {
        this.values = new Float64Array(total);
        this.base = 0;
      } else {
        // Never write into a whole series handed out before.
        if (wasWhole || this.values.length < to + this.lookback) this.values = new Float64Array(to + this.lookback);
        this.values.fill(Number.NaN, 0, this.lookback);
        // 0 − lookback, not −lookback: with no look-back that is +0, a small integer, where −0 is a
        // heap number that made V8 compute every strategy's `i - base` in doubles.
        this.base = 0 - this.lookback;
      }
      this.to = to;
      return;
    }
    if (from !== this.to) throw new RangeError(`ranges must be consecutive: expected row ${this.to}, got ${from}`);
    this.to = to;
    if (this.whole) return;
    const lb = this.lookback;
    const need = to - from + lb;
    const carryFrom = from - lb - this.base;
    if (this.values.length < need) {
      const next = new Float64Array(need);
      next.set(this.values.subarray(carryFrom, carryFrom + lb));
      this.values = next;
    } else if (lb > 0) {
      this.values.copyWithin(0, carryFrom, carryFrom + lb);
    }
    this.base = from - lb;
  }

  /** The whole series (for `indicators()`), or undefined when only ranges were kept. */
  series(): Float64Array | undefined {
    return this.whole ? this.values : undefined;
  }
}
