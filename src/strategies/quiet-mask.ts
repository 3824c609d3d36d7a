/**
 * The buffer behind a strategy's `quietRows()` (docs/strategies.md): the range `prepareRange` was
 * last called for, and one mask reused from range to range. Row i of the range is at `i − from`.
 */
export class QuietMask {
  from = 0;
  to = 0;
  private buf = new Uint8Array(0);

  /** The range just prepared (call from `prepareRange`). */
  range(from: number, to: number): void {
    this.from = from;
    this.to = to;
  }

  /** Room for the current range's rows: the first `to − from` bytes, holding what was last written. */
  rows(): Uint8Array {
    const len = this.to - this.from;
    if (this.buf.length < len) this.buf = new Uint8Array(len);
    return this.buf;
  }
}
