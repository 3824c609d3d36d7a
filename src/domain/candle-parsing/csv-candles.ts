import { CandleBuilder, type ParsedCandles } from './candle-builder.ts';
import { ROLE_NAMES, ROLE_TS, resolveColumns } from './column-names.ts';
import { badDateReason, badNumberReason, candleParseError, quoteCell } from './parse-error.ts';
import { utf8, utf8Bytes } from './ascii-bytes.ts';
import { MAX_EXACT, POW10, parseDecimal, parseDecimalInto } from './parse-number.ts';
import { epochToMs, parseIsoDateBytes, parseTimestamp, parseTimestampBytes } from './parse-timestamp.ts';

/** A line longer than this (in bytes) is not a candle row; refusing it keeps a binary or one-line file from eating memory. */
export const MAX_LINE_CHARS = 1 << 20;

const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const EMPTY = new Uint8Array(0);

/**
 * Incremental CSV candle parser over **bytes**: feed it the file as it is read, in chunks of any
 * size (`push`), then `end()`. The same code serves a whole string ({@link parseCsvCandles}, encoded
 * once) and a file stream (src/adapters/files/candle-file-reader.ts), so both refuse exactly the
 * same files.
 *
 * Rows are scanned in place in the chunk — cells are located by their byte offsets and numbers and
 * dates parsed from the bytes — so a row costs no string, object or array: values go straight into
 * the builder's Float64Array columns. Only the header line and error messages are decoded to text.
 * A line split across two chunks is copied into a small reused carry buffer.
 *
 * Format: the first non-blank line is the header (see column-names.ts), unless it already looks
 * like a data row (a time and five numbers), as in Binance's header-less dumps; then the columns are
 * `time, open, high, low, close, volume[, ignored…]`. Delimiter: whichever of `,` `;` tab occurs
 * most in the first line. Cells may be wrapped in double quotes and padded with spaces; quoted
 * cells containing the delimiter are not supported (candle files have none). A UTF-8 byte-order
 * mark is skipped. Line numbers in errors are 1-based and count the header and blank lines.
 */
export class CsvCandleParser {
  private carry: Uint8Array = EMPTY;
  private carryLen = 0;
  private lineNo = 0;
  private headerSeen = false;
  private delimiter = COMMA;
  private columnCount = 0;
  private roleOfColumn = new Int8Array(0);
  private readonly cellStart = new Int32Array(6);
  private readonly cellEnd = new Int32Array(6);
  /** The row being parsed: time, open, high, low, close, volume (reused for every row). */
  private readonly values = new Float64Array(6);
  private readonly builder: CandleBuilder;
  private readonly file: string;

  constructor(file: string, capacityHint?: number) {
    this.file = file;
    this.builder = new CandleBuilder(file, (line) => `line ${line}`, capacityHint);
  }

  /**
   * Feed the next piece of the file: bytes as read (UTF-8), or text. Lines may span chunks; a chunk
   * is not kept after the call returns, so the caller may reuse its buffer.
   */
  push(chunk: Uint8Array | string): void {
    const b = typeof chunk === 'string' ? utf8Bytes(chunk) : chunk;
    const n = b.length;
    let start = 0;
    if (this.carryLen > 0) {
      const nl = b.indexOf(LF);
      if (nl === -1) {
        this.appendCarry(b, 0, n);
        return;
      }
      this.appendCarry(b, 0, nl);
      const len = this.carryLen;
      this.carryLen = 0;
      this.endLine(this.carry, 0, len);
      start = nl + 1;
    }
    for (;;) {
      if (this.headerSeen) start = this.plainRows(b, start, n);
      const nl = b.indexOf(LF, start);
      if (nl === -1) break;
      this.endLine(b, start, nl);
      start = nl + 1;
    }
    if (start < n) this.appendCarry(b, start, n);
  }

  /** Finish: parse a last line without a newline, then sort, de-duplicate and return. */
  end(): ParsedCandles {
    if (this.carryLen > 0) {
      const len = this.carryLen;
      this.carryLen = 0;
      this.endLine(this.carry, 0, len);
    }
    this.carry = EMPTY;
    if (!this.headerSeen) throw candleParseError(this.file, '', 'empty_file', 'the file is empty');
    return this.builder.finish();
  }

  private appendCarry(b: Uint8Array, from: number, to: number): void {
    const len = this.carryLen + (to - from);
    if (len > MAX_LINE_CHARS) {
      throw candleParseError(this.file, `line ${this.lineNo + 1}`, 'line_too_long', `line is longer than ${MAX_LINE_CHARS} bytes — not a candle CSV`);
    }
    if (len > this.carry.length) {
      const grown = new Uint8Array(Math.max(len, this.carry.length * 2, 256));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(b.subarray(from, to), this.carryLen);
    this.carryLen = len;
  }

  /** One line `b[start, nl)` (nl: the newline's offset or the end of the text). */
  private endLine(b: Uint8Array, start: number, nl: number): void {
    this.lineNo++;
    if (nl - start > MAX_LINE_CHARS) {
      throw candleParseError(this.file, `line ${this.lineNo}`, 'line_too_long', `line is longer than ${MAX_LINE_CHARS} bytes — not a candle CSV`);
    }
    const end = nl > start && b[nl - 1] === CR ? nl - 1 : nl;
    if (this.headerSeen) {
      this.row(b, start, end);
      return;
    }
    // The byte-order mark Excel writes at the very start of the file.
    if (this.lineNo === 1 && end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) start += 3;
    let a = start;
    while (a < end && (b[a] === SPACE || b[a] === TAB)) a++;
    if (a === end) return; // blank line before the header
    this.header(b, start, end);
  }

  /**
   * The fast path: parse the complete *plain* lines from `b[start…)` in one pass — each used cell
   * located and parsed in the same scan — and return the offset of the first line it did not take
   * (`n` when it took them all). A plain line has exactly the header's number of cells, each used
   * cell unsigned digits with at most one `.` (an epoch number in the time column), no space, quote,
   * sign or exponent, a mantissa below 2^53 and at most 22 decimals, and ends in LF or CRLF. Every
   * other line — a blank one, an ISO date, a refusal, a line cut by the end of the chunk — is left to
   * {@link endLine}, which reads it as before, so the fast path refuses nothing itself.
   *
   * Values are bit for bit those of the general path: the same Clinger fast path
   * ({@link parseDecimalInto}: an exact mantissa divided by an exact power of ten) and
   * {@link epochToMs} for the time. Ignored columns are skipped up to the next delimiter.
   */
  private plainRows(b: Uint8Array, start: number, n: number): number {
    const roleOf = this.roleOfColumn;
    const columns = this.columnCount;
    const last = columns - 1;
    const delimiter = this.delimiter;
    const values = this.values;
    let p = start;
    while (p < n) {
      const lineStart = p;
      for (let k = 0; k < columns; k++) {
        const role = roleOf[k]!;
        let c = 0;
        if (role < 0) {
          // (A CR before the newline is skipped with the cell; elsewhere it is part of it.)
          while (p < n) {
            c = b[p]!;
            if (c === delimiter || c === LF) break;
            p++;
          }
        } else {
          let mantissa = 0;
          let digits = 0;
          let decimals = 0;
          while (p < n) {
            c = b[p]!;
            const d = c - 48;
            if (d >>> 0 > 9) break;
            mantissa = mantissa * 10 + d;
            digits++;
            p++;
          }
          if (role === ROLE_TS && digits === 4 && p < n && (c === 45 /* - */ || c === 47 /* / */)) {
            // A date (`2024-01-31 00:00:00`, `2024-01-31T00:00:00Z`…) runs to the next delimiter.
            // The date parser takes no trailing space, so a padded date goes to the general path.
            const from = p - 4;
            while (p < n) {
              c = b[p]!;
              if (c === delimiter || c === LF || c === CR) break;
              p++;
            }
            const ts = parseIsoDateBytes(b, from, p);
            if (ts !== ts) return lineStart; // NaN: not a date the reader takes
            values[role] = ts;
          } else {
            if (p < n && c === 46 /* . */) {
              p++;
              while (p < n) {
                c = b[p]!;
                const d = c - 48;
                if (d >>> 0 > 9) break;
                mantissa = mantissa * 10 + d;
                decimals++;
                p++;
              }
              digits += decimals;
            }
            if (digits === 0 || mantissa >= MAX_EXACT || decimals > 22) return lineStart;
            const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
            // An epoch below 2^53 is always a date (µs at most, 9.0e12 ms): epochToMs gives no NaN here.
            values[role] = role === ROLE_TS ? epochToMs(value) : value;
          }
        }
        if (p >= n) return lineStart;
        c = b[p]!;
        if (k < last) {
          if (c !== delimiter) return lineStart;
        } else {
          if (c === CR) {
            p++;
            if (p >= n) return lineStart;
            c = b[p]!;
          }
          if (c !== LF) return lineStart;
        }
        p++;
      }
      if (p - lineStart > MAX_LINE_CHARS) return lineStart;
      this.lineNo++;
      this.builder.push(values, this.lineNo);
    }
    return p;
  }

  private header(b: Uint8Array, start: number, end: number): void {
    const line = utf8(b, start, end);
    this.headerSeen = true;
    this.delimiter = detectDelimiter(line).charCodeAt(0);
    const cells = line.split(String.fromCharCode(this.delimiter));
    this.columnCount = cells.length;
    this.roleOfColumn = new Int8Array(cells.length).fill(-1);
    if (looksLikeDataRow(cells)) {
      for (let role = 0; role < 6; role++) this.roleOfColumn[role] = role;
      this.row(b, start, end);
      return;
    }
    const resolved = resolveColumns(cells);
    if (!resolved.ok) {
      const found = cells.map((c) => c.trim()).join(', ');
      const text =
        resolved.reason === 'missing_column'
          ? `missing column "${resolved.column}" (header: ${quoteCell(found)})`
          : `column "${resolved.column}" appears twice in the header`;
      throw candleParseError(this.file, `line ${this.lineNo}`, resolved.reason, text);
    }
    resolved.indexOf.forEach((column, role) => {
      this.roleOfColumn[column] = role;
    });
  }

  private row(b: Uint8Array, start: number, end: number): void {
    // Blank (or whitespace-only) lines between rows are skipped.
    let a = start;
    while (a < end && (b[a] === SPACE || b[a] === TAB)) a++;
    if (a === end) return;
    const roleOf = this.roleOfColumn;
    const columns = this.columnCount;
    const cellStart = this.cellStart;
    const cellEnd = this.cellEnd;
    const delimiter = this.delimiter;
    let k = 0;
    let fieldStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && b[i] !== delimiter) continue;
      if (k < columns) {
        const role = roleOf[k]!;
        if (role >= 0) {
          cellStart[role] = fieldStart;
          cellEnd[role] = i;
        }
      }
      k++;
      fieldStart = i + 1;
    }
    if (k !== columns) {
      throw candleParseError(this.file, `line ${this.lineNo}`, 'column_count', `expected ${columns} columns, found ${k}`);
    }
    for (let role = 0; role < 6; role++) this.cell(b, role);
    this.builder.push(this.values, this.lineNo);
  }

  /**
   * Parse one located cell (trimming spaces and one pair of quotes) into `values[role]`, or throw
   * naming the line. Numbers are written, not returned (see parseDecimalInto).
   */
  private cell(b: Uint8Array, role: number): void {
    let a = this.cellStart[role]!;
    let z = this.cellEnd[role]!;
    while (a < z && b[a] === SPACE) a++;
    while (z > a && b[z - 1] === SPACE) z--;
    if (z - a >= 2 && b[a] === QUOTE && b[z - 1] === QUOTE) {
      a++;
      z--;
    }
    if (role === ROLE_TS) {
      const ts = a < z ? parseTimestampBytes(b, a, z) : Number.NaN;
      if (Number.isNaN(ts)) {
        const bad = badDateReason(utf8(b, a, z));
        throw candleParseError(this.file, `line ${this.lineNo}`, bad.reason, bad.text);
      }
      this.values[role] = ts;
      return;
    }
    parseDecimalInto(b, a, z, this.values, role);
    if (!Number.isFinite(this.values[role]!)) {
      const bad = badNumberReason(ROLE_NAMES[role]!, utf8(b, a, z));
      throw candleParseError(this.file, `line ${this.lineNo}`, bad.reason, bad.text);
    }
  }
}

function detectDelimiter(line: string): string {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === COMMA) commas++;
    else if (c === SEMICOLON) semicolons++;
    else if (c === TAB) tabs++;
  }
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

function trimCell(cell: string): string {
  const s = cell.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** A first line that is a time and five numbers is data, not a header (header-less exchange dumps). */
function looksLikeDataRow(cells: readonly string[]): boolean {
  if (cells.length < 6) return false;
  const time = trimCell(cells[0]!);
  if (Number.isNaN(parseTimestamp(time, 0, time.length))) return false;
  for (let i = 1; i < 6; i++) {
    const s = trimCell(cells[i]!);
    if (!Number.isFinite(parseDecimal(s, 0, s.length))) return false;
  }
  return true;
}

/** Parse a whole CSV text (pure). Throws AppError BAD_REQUEST naming the line and reason. */
export function parseCsvCandles(text: string, file: string): ParsedCandles {
  const parser = new CsvCandleParser(file, Math.ceil(text.length / 48));
  parser.push(utf8Bytes(text));
  return parser.end();
}
