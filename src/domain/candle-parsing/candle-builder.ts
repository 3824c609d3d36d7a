import type { Candles } from '../candles.ts';
import { candleParseError } from './parse-error.ts';

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
 * about twenty reallocations), then sorts and de-duplicates once at the end.
 *
 * `where` is a number identifying the row in its source (CSV line number, JSON index); `describe`
 * turns it into the text of an error message. It is kept per row so a duplicate found after sorting
 * can still name both source lines.
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
  private where: Uint32Array;
  private sorted = true;

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
    this.where = new Uint32Array(this.cap);
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
    if (this.n === this.cap) this.grow();
    const i = this.n;
    if (i > 0 && ts < this.ts[i - 1]!) this.sorted = false;
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.where[i] = where;
    this.n = i + 1;
  }

  /**
   * Sort ascending by time (stable: file order breaks ties), drop rows identical to the previous row
   * with the same time, refuse same-time rows that differ, and return exact-length columns.
   */
  finish(): ParsedCandles {
    const n = this.n;
    if (n === 0) throw candleParseError(this.file, '', 'empty_file', 'no candle rows (the file is empty or has only a header)');
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
          const [first, second] = this.where[prev]! < this.where[i]! ? [prev, i] : [i, prev];
          throw candleParseError(
            this.file,
            `${this.describe(this.where[first]!)} and ${this.describe(this.where[second]!)}`,
            'duplicate_timestamp',
            `duplicate timestamp ${new Date(this.ts[i]!).toISOString()} with different values`,
          );
        }
      }
      keep[kept++] = i;
    }
    const candles: Candles = {
      length: kept,
      ts: this.gather(this.ts, keep, kept, order === undefined),
      open: this.gather(this.open, keep, kept, order === undefined),
      high: this.gather(this.high, keep, kept, order === undefined),
      low: this.gather(this.low, keep, kept, order === undefined),
      close: this.gather(this.close, keep, kept, order === undefined),
      volume: this.gather(this.volume, keep, kept, order === undefined),
    };
    return { candles, stats: { rowsRead: n, duplicatesDropped: n - kept, reordered: !this.sorted } };
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
   * The kept rows as an exact-length column. When nothing was reordered or dropped the column's
   * buffer is handed over (`ArrayBuffer.transfer`: the spare capacity is released, and the growing
   * buffer is gone at once), so the columns are never held twice.
   */
  private gather(col: Float64Array, keep: Uint32Array, kept: number, inOrder: boolean): Float64Array {
    if (inOrder && kept === this.n) return col.length === kept ? col : new Float64Array(transfer(col.buffer, kept * 8));
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
    const where = new Uint32Array(this.cap);
    where.set(this.where);
    this.where = where;
  }

  private fail(where: number, reason: Parameters<typeof candleParseError>[2], text: string): never {
    throw candleParseError(this.file, this.describe(where), reason, text);
  }
}

/** `ArrayBuffer.prototype.transfer` (ES2024; Node ≥ 21): a buffer of the new length, the old one detached. */
function transfer(buffer: ArrayBufferLike, bytes: number): ArrayBuffer {
  return (buffer as ArrayBuffer & { transfer(n: number): ArrayBuffer }).transfer(bytes);
}
