import type { Candles } from '../candles.ts';
import { candleParseError } from './parse-error.ts';
import { RowSources } from './row-sources.ts';

/** What a parse produced besides the candles: for import reports ("sorted", "dropped 3 duplicates"). */
export interface CandleParseStats {
  /** Data rows read from the file (before duplicates were dropped). */
  readonly rowsRead: number;
  /** Rows dropped because an identical row with the same timestamp came earlier. */
  readonly duplicatesDropped: number;
  /** True when the rows were not in ascending time order in the file. */
  readonly reordered: boolean;
}

export interface ParsedCandles {
  readonly candles: Candles;
  readonly stats: CandleParseStats;
}

const INITIAL_CAPACITY = 4_096;

/**
 * Collects validated rows into growing Float64Arrays (capacity doubles, so a million rows cost
 * about twenty reallocations; the file reader reserves about the final size at once), then sorts and
 * de-duplicates once at the end — only when needed: rows already in time order, without two rows of
 * the same time that differ, are handed over as they are.
 *
 * `where` is a number identifying the row in its source (CSV line number, JSON index); `describe`
 * turns it into the text of an error message. It is kept (as runs, {@link RowSources}) so a
 * duplicate found after sorting can still name both source lines.
 */
export class CandleBuilder {
  private cap: number;
  private n = 0;
  private ts: Float64Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;
  private readonly where = new RowSources();
  private sorted = true;
  /** Two rows of the same time that differ were added one after the other (refused in finish). */
  private sameTime = false;
  /** Rows identical to the row just before them, dropped as they came. */
  private twins = 0;

  constructor(
    private readonly file: string,
    private readonly describe: (where: number) => string,
    capacity = INITIAL_CAPACITY,
  ) {
    this.cap = Math.max(16, capacity);
    this.ts = new Float64Array(this.cap);
    this.open = new Float64Array(this.cap);
    this.high = new Float64Array(this.cap);
    this.low = new Float64Array(this.cap);
    this.close = new Float64Array(this.cap);
    this.volume = new Float64Array(this.cap);
  }

  /**
   * Add one row: time, open, high, low, close, volume in `row[0..5]`. Values must already be finite numbers (the format parser checks that, since only it
   * knows the raw text); here positive prices, the OHLC relations and the volume sign are checked.
   */
  push(row: Float64Array, where: number): void {
    // The row comes in a reused array, not as six arguments: a double passed to a call V8 does not
    // inline is boxed into a heap number, six objects per row.
    const ts = row[0]!;
    const open = row[1]!;
    const high = row[2]!;
    const low = row[3]!;
    const close = row[4]!;
    const volume = row[5]!;
    // A price of zero or below is no market's price: a unit error or a filler value, and it would poison
    // returns (division by zero) and every indicator after it.
    if (!(open > 0 && high > 0 && low > 0 && close > 0)) {
      const [name, value] = ([['open', open], ['high', high], ['low', low], ['close', close]] as const).find(([, v]) => !(v > 0))!;
      this.fail(where, 'non_positive_price', `${name} ${value} is not a positive price`);
    }
    if (high < low) this.fail(where, 'high_below_low', `high ${high} is below low ${low}`);
    if (high < open || high < close) {
      this.fail(where, 'high_below_open_close', `high ${high} is below max(open ${open}, close ${close})`);
    }
    if (low > open || low > close) {
      this.fail(where, 'low_above_open_close', `low ${low} is above min(open ${open}, close ${close})`);
    }
    if (volume < 0) this.fail(where, 'negative_volume', `volume ${volume} is negative`);
    const i = this.n;
    if (i === this.cap) this.grow();
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    if (i > 0) {
      const prev = this.ts[i - 1]!;
      if (ts < prev) this.sorted = false;
      else if (ts === prev) {
        // An identical row straight after its twin is dropped here — not counted, so the next row
        // takes its slot (sorting would put it next to its twin and drop it anyway); one that
        // differs is refused in finish, as after sorting.
        if (this.sameValues(i, i - 1)) {
          this.twins++;
          return;
        }
        this.sameTime = true;
      }
    }
    this.where.add(where);
    this.n = i + 1;
  }

  /**
   * Sort ascending by time (stable: file order breaks ties), drop rows identical to the previous row
   * with the same time, refuse same-time rows that differ, and return exact-length columns.
   */
  finish(): ParsedCandles {
    const n = this.n;
    if (n === 0) throw candleParseError(this.file, '', 'empty_file', 'no candle rows (the file is empty or has only a header)');
    const rowsRead = n + this.twins;
    if (this.sorted && !this.sameTime) {
      // In order and nothing to drop: the columns are the result (no index of kept rows, no copy).
      const candles: Candles = { length: n, ts: this.handOver(this.ts), open: this.handOver(this.open), high: this.handOver(this.high), low: this.handOver(this.low), close: this.handOver(this.close), volume: this.handOver(this.volume) };
      return { candles, stats: { rowsRead, duplicatesDropped: this.twins, reordered: false } };
    }
    let order: Uint32Array | undefined;
    if (!this.sorted) {
      const ts = this.ts;
      order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    }
    const keep = new Uint32Array(n);
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      if (kept > 0) {
        const prev = keep[kept - 1]!;
        if (this.ts[i] === this.ts[prev]) {
          if (this.sameValues(i, prev)) continue;
          const [first, second] = [this.where.of(prev), this.where.of(i)].sort((a, b) => a - b);
          throw candleParseError(
            this.file,
            `${this.describe(first!)} and ${this.describe(second!)}`,
            'duplicate_timestamp',
            `duplicate timestamp ${new Date(this.ts[i]!).toISOString()} with different values`,
          );
        }
      }
      keep[kept++] = i;
    }
    const candles: Candles = {
      length: kept,
      ts: this.gather(this.ts, keep, kept),
      open: this.gather(this.open, keep, kept),
      high: this.gather(this.high, keep, kept),
      low: this.gather(this.low, keep, kept),
      close: this.gather(this.close, keep, kept),
      volume: this.gather(this.volume, keep, kept),
    };
    return { candles, stats: { rowsRead, duplicatesDropped: rowsRead - kept, reordered: !this.sorted } };
  }

  private sameValues(a: number, b: number): boolean {
    return (
      this.open[a] === this.open[b] &&
      this.high[a] === this.high[b] &&
      this.low[a] === this.low[b] &&
      this.close[a] === this.close[b] &&
      this.volume[a] === this.volume[b]
    );
  }

  /**
   * A column of exactly the rows added, without a copy when the spare capacity is small (the file
   * reader reserves ~1 % more than it reads): a view of the first rows. A larger spare (a short
   * first guess grown by doubling, a small file in the default capacity) is released by
   * `ArrayBuffer.transfer` to the exact length, which copies (V8 allocates the shorter buffer).
   */
  private handOver(col: Float64Array): Float64Array {
    const n = this.n;
    if (col.length === n) return col;
    if (col.length - n <= n >>> 5) return col.subarray(0, n);
    return new Float64Array(transfer(col.buffer, n * 8));
  }

  /** The kept rows, in `keep`'s order, as a new exact-length column. */
  private gather(col: Float64Array, keep: Uint32Array, kept: number): Float64Array {
    const out = new Float64Array(kept);
    for (let k = 0; k < kept; k++) out[k] = col[keep[k]!]!;
    return out;
  }

  private grow(): void {
    this.cap *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(this.cap);
      b.set(a);
      return b;
    };
    this.ts = grow(this.ts);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
  }

  private fail(where: number, reason: Parameters<typeof candleParseError>[2], text: string): never {
    throw candleParseError(this.file, this.describe(where), reason, text);
  }
}

/** `ArrayBuffer.prototype.transfer` (ES2024; Node ≥ 21): a buffer of the new length, the old one detached. */
function transfer(buffer: ArrayBufferLike, bytes: number): ArrayBuffer {
  return (buffer as ArrayBuffer & { transfer(n: number): ArrayBuffer }).transfer(bytes);
}
