/**
 * Where each stored row came from in its source (a CSV line number, a JSON index), for the error
 * messages about rows found out of place later (a duplicate time after sorting). Kept as runs of
 * consecutive sources — a file's rows come from consecutive lines except after the header, a blank
 * line or a dropped twin — so a few numbers per file instead of one per row (4 MB per million rows).
 */
export class RowSources {
  /** First row of each run. */
  private readonly starts: number[] = [];
  /** The source of that row; the run's later rows follow it one by one. */
  private readonly sources: number[] = [];
  private rows = 0;
  private nextSource = Number.NaN;

  /** Record the source of the next row (rows are numbered 0, 1, 2… in the order they are added). */
  add(source: number): void {
    if (source !== this.nextSource) {
      this.starts.push(this.rows);
      this.sources.push(source);
    }
    this.nextSource = source + 1;
    this.rows++;
  }

  /** The source of row `row` (one that was added). */
  of(row: number): number {
    if (!(row >= 0 && row < this.rows)) throw new RangeError(`no row ${row} (${this.rows} rows)`);
    let lo = 0; // starts[lo] <= row
    let hi = this.starts.length; // starts[hi] > row, or the end
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid;
    }
    return this.sources[lo]! + (row - this.starts[lo]!);
  }

  /** Runs kept (for tests: how compact the record is). */
  get runs(): number {
    return this.starts.length;
  }
}
