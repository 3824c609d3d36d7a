import { CandleBuilder, type ParsedCandles } from './candle-builder.ts';
import { ROLE_NAMES, ROLE_TS, resolveColumns } from './column-names.ts';
import { badDateReason, badNumberReason, candleParseError, quoteCell } from './parse-error.ts';
import { parseDecimal } from './parse-number.ts';
import { parseTimestamp } from './parse-timestamp.ts';

/** A line longer than this is not a candle row; refusing it keeps a binary or one-line file from eating memory. */
export const MAX_LINE_CHARS = 1 << 20;

const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const CR = 13;

/**
 * Incremental CSV candle parser: feed it text in chunks of any size (`push`), then `end()`.
 * The same code serves a whole string ({@link parseCsvCandles}) and a file stream
 * (src/adapters/files/candle-file-reader.ts), so both refuse exactly the same files.
 *
 * Rows are scanned in place — fields are located with `indexOf` and numbers parsed from offsets —
 * so a row costs no string or array allocations on the fast path.
 *
 * Format: the first non-blank line is the header (see column-names.ts), unless it already looks
 * like a data row (a time and five numbers), as in Binance's header-less dumps; then the columns are
 * `time, open, high, low, close, volume[, ignored…]`. Delimiter: whichever of `,` `;` tab occurs
 * most in the first line. Cells may be wrapped in double quotes and padded with spaces; quoted
 * cells containing the delimiter are not supported (candle files have none). Line numbers in
 * errors are 1-based and count the header and blank lines.
 */
export class CsvCandleParser {
  private carry = '';
  private atStart = true;
  private lineNo = 0;
  private headerSeen = false;
  private delimiter = ',';
  private columnCount = 0;
  private roleOfColumn = new Int8Array(0);
  private readonly cellStart = new Int32Array(6);
  private readonly cellEnd = new Int32Array(6);
  private readonly builder: CandleBuilder;

  constructor(
    private readonly file: string,
    capacityHint?: number,
  ) {
    this.builder = new CandleBuilder(file, (line) => `line ${line}`, capacityHint);
  }

  /** Feed the next piece of text; lines may span chunks. */
  push(chunk: string): void {
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    let start = 0;
    if (this.atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) start = 1; // UTF-8 byte-order mark from Excel exports
      this.atStart = false;
    }
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      this.lineNo++;
      const end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      this.line(text, start, end);
      start = nl + 1;
    }
    this.carry = start === 0 ? text : text.slice(start);
    if (this.carry.length > MAX_LINE_CHARS) {
      throw candleParseError(this.file, `line ${this.lineNo + 1}`, 'line_too_long', `line is longer than ${MAX_LINE_CHARS} characters — not a candle CSV`);
    }
  }

  /** Finish: parse a last line without a newline, then sort, de-duplicate and return. */
  end(): ParsedCandles {
    if (this.carry.length > 0) {
      const text = this.carry;
      this.carry = '';
      this.lineNo++;
      const end = text.charCodeAt(text.length - 1) === CR ? text.length - 1 : text.length;
      this.line(text, 0, end);
    }
    if (!this.headerSeen) throw candleParseError(this.file, '', 'empty_file', 'the file is empty');
    return this.builder.finish();
  }

  private line(text: string, start: number, end: number): void {
    let a = start;
    while (a < end && (text.charCodeAt(a) === SPACE || text.charCodeAt(a) === TAB)) a++;
    if (a === end) return; // blank line
    if (this.headerSeen) this.row(text, start, end);
    else this.header(text.slice(start, end));
  }

  private header(line: string): void {
    this.headerSeen = true;
    this.delimiter = detectDelimiter(line);
    const cells = line.split(this.delimiter);
    this.columnCount = cells.length;
    this.roleOfColumn = new Int8Array(cells.length).fill(-1);
    if (looksLikeDataRow(cells)) {
      for (let role = 0; role < 6; role++) this.roleOfColumn[role] = role;
      this.row(line, 0, line.length);
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

  private row(text: string, start: number, end: number): void {
    const roleOf = this.roleOfColumn;
    const columns = this.columnCount;
    const cellStart = this.cellStart;
    const cellEnd = this.cellEnd;
    let k = 0;
    let fieldStart = start;
    for (;;) {
      let d = text.indexOf(this.delimiter, fieldStart);
      if (d === -1 || d > end) d = end;
      if (k < columns) {
        const role = roleOf[k]!;
        if (role >= 0) {
          cellStart[role] = fieldStart;
          cellEnd[role] = d;
        }
      }
      k++;
      if (d === end) break;
      fieldStart = d + 1;
    }
    if (k !== columns) {
      throw candleParseError(this.file, `line ${this.lineNo}`, 'column_count', `expected ${columns} columns, found ${k}`);
    }
    const ts = this.cell(text, ROLE_TS);
    const open = this.cell(text, 1);
    const high = this.cell(text, 2);
    const low = this.cell(text, 3);
    const close = this.cell(text, 4);
    const volume = this.cell(text, 5);
    this.builder.push(ts, open, high, low, close, volume, this.lineNo);
  }

  /** Parse one located cell (trimming spaces and one pair of quotes) or throw naming the line. */
  private cell(text: string, role: number): number {
    let a = this.cellStart[role]!;
    let b = this.cellEnd[role]!;
    while (a < b && text.charCodeAt(a) === SPACE) a++;
    while (b > a && text.charCodeAt(b - 1) === SPACE) b--;
    if (b - a >= 2 && text.charCodeAt(a) === QUOTE && text.charCodeAt(b - 1) === QUOTE) {
      a++;
      b--;
    }
    if (role === ROLE_TS) {
      const ts = a < b ? parseTimestamp(text, a, b) : Number.NaN;
      if (Number.isNaN(ts)) {
        const bad = badDateReason(text.slice(a, b));
        throw candleParseError(this.file, `line ${this.lineNo}`, bad.reason, bad.text);
      }
      return ts;
    }
    const value = parseDecimal(text, a, b);
    if (!Number.isFinite(value)) {
      const bad = badNumberReason(ROLE_NAMES[role]!, text.slice(a, b));
      throw candleParseError(this.file, `line ${this.lineNo}`, bad.reason, bad.text);
    }
    return value;
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
  parser.push(text);
  return parser.end();
}
