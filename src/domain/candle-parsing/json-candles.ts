import { CandleBuilder, type ParsedCandles } from './candle-builder.ts';
import { ROLE_NAMES, ROLE_TS, resolveColumns } from './column-names.ts';
import { badDateReason, badNumberReason, candleParseError, type CandleParseReason } from './parse-error.ts';
import { parseDecimal } from './parse-number.ts';
import { timestampFromValue } from './parse-timestamp.ts';

/**
 * JSON candle shapes, detected from the parsed value:
 * - rows: `[[time, open, high, low, close, volume, …ignored], …]` (freqtrade, ccxt fetchOHLCV,
 *   Binance klines — whose prices are strings, so numeric strings are accepted everywhere);
 * - records: `[{"date": …, "open": …, …}, …]` (pandas `orient="records"`);
 * - columns: `{"date": {"0": …, "1": …}, "open": {…}, …}` (pandas `orient="columns"`, freqtrade's
 *   test data) or the same with arrays as columns (`{"date": […], "open": […]}`).
 * Key names follow the CSV header rules (column-names.ts). Errors name `index N` for arrays and
 * `row "key"` for columns objects.
 */
export function parseJsonCandles(text: string, file: string): ParsedCandles {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    if (text.trim().length === 0) throw candleParseError(file, '', 'empty_file', 'the file is empty');
    throw candleParseError(file, '', 'bad_json', `not valid JSON (${(err as Error).message})`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw candleParseError(file, '', 'empty_file', 'no candle rows (empty JSON array)');
    return Array.isArray(value[0]) ? parseRows(value, file) : parseRecords(value, file);
  }
  if (value !== null && typeof value === 'object') return parseColumns(value as Record<string, unknown>, file);
  throw candleParseError(file, '', 'bad_shape', 'expected a JSON array of candles or an object of columns');
}

const scratch = new Float64Array(6);

/** Convert one JSON cell into `scratch[role]`; the message names the place via `where`. */
function readCell(value: unknown, role: number, file: string, where: string): void {
  let x = Number.NaN;
  if (role === ROLE_TS) {
    x = timestampFromValue(value);
    if (Number.isNaN(x)) fail(file, where, badDateReason(value === null || value === undefined ? '' : String(value)));
  } else {
    if (typeof value === 'number') x = value;
    else if (typeof value === 'string') {
      const s = value.trim();
      x = parseDecimal(s, 0, s.length);
    }
    if (!Number.isFinite(x)) {
      const raw = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      fail(file, where, badNumberReason(ROLE_NAMES[role]!, raw));
    }
  }
  scratch[role] = x;
}

function fail(file: string, where: string, bad: { reason: CandleParseReason; text: string }): never {
  throw candleParseError(file, where, bad.reason, bad.text);
}

function pushScratch(builder: CandleBuilder, where: number): void {
  builder.push(scratch, where);
}

function parseRows(rows: unknown[], file: string): ParsedCandles {
  const builder = new CandleBuilder(file, (i) => `index ${i}`, rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const where = `index ${i}`;
    if (!Array.isArray(row) || row.length < 6) {
      const found = Array.isArray(row) ? `${row.length} values` : JSON.stringify(row)?.slice(0, 40);
      throw candleParseError(file, where, 'column_count', `expected [time, open, high, low, close, volume], found ${found}`);
    }
    for (let role = 0; role < 6; role++) readCell(row[role], role, file, where);
    pushScratch(builder, i);
  }
  return builder.finish();
}

function keyMap(keys: string[], file: string, where: string): string[] {
  const resolved = resolveColumns(keys);
  if (!resolved.ok) {
    const text =
      resolved.reason === 'missing_column'
        ? `missing column "${resolved.column}" (keys: ${keys.join(', ')})`
        : `column "${resolved.column}" appears twice`;
    throw candleParseError(file, where, resolved.reason, text);
  }
  return resolved.indexOf.map((i) => keys[i]!);
}

function parseRecords(records: unknown[], file: string): ParsedCandles {
  const first = records[0];
  if (first === null || typeof first !== 'object') {
    throw candleParseError(file, 'index 0', 'bad_shape', 'expected an array of [time, open, …] arrays or of {date, open, …} objects');
  }
  const keys = keyMap(Object.keys(first), file, 'index 0');
  const builder = new CandleBuilder(file, (i) => `index ${i}`, records.length);
  for (let i = 0; i < records.length; i++) {
    const rec = records[i] as Record<string, unknown> | null;
    const where = `index ${i}`;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw candleParseError(file, where, 'bad_shape', 'expected an object like the first one');
    }
    for (let role = 0; role < 6; role++) {
      const key = keys[role]!;
      if (!(key in rec)) throw candleParseError(file, where, 'missing_column', `missing column "${key}"`);
      readCell(rec[key], role, file, where);
    }
    pushScratch(builder, i);
  }
  return builder.finish();
}

function parseColumns(obj: Record<string, unknown>, file: string): ParsedCandles {
  const keys = keyMap(Object.keys(obj), file, '');
  const columns = keys.map((k) => obj[k]);
  for (let role = 0; role < 6; role++) {
    const col = columns[role];
    if (col === null || typeof col !== 'object') {
      throw candleParseError(file, '', 'bad_shape', `column "${keys[role]}" must be an object {"0": value, …} or an array`);
    }
  }
  const timeCol = columns[ROLE_TS] as Record<string, unknown>;
  // Object.keys of an object with integer-like keys lists them in ascending numeric order.
  const rowKeys = Array.isArray(timeCol) ? null : Object.keys(timeCol);
  const n = rowKeys ? rowKeys.length : (timeCol as unknown as unknown[]).length;
  if (n === 0) throw candleParseError(file, '', 'empty_file', 'no candle rows (empty columns)');
  const builder = new CandleBuilder(file, (i) => `row "${rowKeys ? rowKeys[i] : i}"`, n);
  for (let i = 0; i < n; i++) {
    const key = rowKeys ? rowKeys[i]! : String(i);
    const where = `row "${key}"`;
    for (let role = 0; role < 6; role++) {
      const col = columns[role] as Record<string, unknown>;
      if (!(key in col)) throw candleParseError(file, where, 'missing_column', `column "${keys[role]}" has no value for this row`);
      readCell(col[key], role, file, where);
    }
    pushScratch(builder, i);
  }
  return builder.finish();
}
