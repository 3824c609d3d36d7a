/**
 * Loading a candle series as columns, fast, on both drivers. Ordinary row queries are far too slow
 * for a million candles (an object per row, six floats formatted as text by the server and parsed
 * back), so both paths ask Postgres for its *binary* row format — `int8` and `float8` travel as 8
 * big-endian bytes — and decode them straight into Float64Arrays:
 *
 * - PGlite: the extended protocol spoken directly (`execProtocolRawStream`) with binary result
 *   format; PGlite's own parser would turn every row into an object.
 * - postgres.js: `COPY (select …) TO STDOUT (FORMAT binary)`; postgres.js has no binary results.
 *
 * Measured on the dev machine (bench/candles.bench.ts): ~0.5–0.9 s per 1,000,000 candles and
 * 48 bytes per candle retained.
 */
import { allocCandles, type Candles } from '../../../domain/candles.ts';

/** The series and the half-open time window [from, to) to load. */
export interface CandleLoadQuery {
  exchange: string;
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
}

/** What we use of a PGlite instance (public API, plus the transaction mutex describeQuery uses). */
interface PgliteRaw {
  execProtocolRawStream(message: Uint8Array, options: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void }): Promise<void>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction?<T>(fn: () => Promise<T>): Promise<T>;
}

/** What we use of postgres.js. */
interface PostgresRaw {
  unsafe(query: string): { readable(): Promise<NodeJS.ReadableStream> };
}

const SELECT_COLUMNS = 'select ts, open, high, low, close, volume from candles';

function checkBound(name: string, v: number | undefined): void {
  if (v !== undefined && !Number.isSafeInteger(v)) throw new RangeError(`candle load: ${name} must be a whole number of ms, got ${v}`);
}

/** Load through PGlite's wire protocol with binary results. Must not run inside a transaction on the same instance. */
export async function loadCandlesPglite(client: unknown, q: CandleLoadQuery): Promise<Candles> {
  checkBound('from', q.from);
  checkBound('to', q.to);
  const pg = client as PgliteRaw;
  const params = [q.exchange, q.symbol, q.timeframe];
  let where = 'exchange = $1 and symbol = $2 and timeframe = $3';
  if (q.from !== undefined) {
    params.push(String(q.from));
    where += ` and ts >= $${params.length}`;
  }
  if (q.to !== undefined) {
    params.push(String(q.to));
    where += ` and ts < $${params.length}`;
  }
  const message = extendedQuery(`${SELECT_COLUMNS} where ${where} order by ts`, params);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const run = () =>
    pg.runExclusive(() =>
      pg.execProtocolRawStream(message, {
        syncToFs: false,
        // The view points into WASM memory that PGlite reuses: copy it.
        onRawData: (data) => {
          const copy = data.slice();
          chunks.push(copy);
          total += copy.length;
        },
      }),
    );
  // Wait for any open transaction to finish, as PGlite's own describeQuery does: a raw query slipped
  // between the statements of someone else's transaction would run inside it.
  await (pg._runExclusiveTransaction ? pg._runExclusiveTransaction(run) : run());
  return decodeDataRows(concat(chunks, total));
}

/** Load through postgres.js with a binary COPY. */
export async function loadCandlesPostgres(client: unknown, q: CandleLoadQuery): Promise<Candles> {
  checkBound('from', q.from);
  checkBound('to', q.to);
  const sql = client as PostgresRaw;
  // COPY takes no bind parameters: values are inlined as dollar-quoted literals (safe whatever the
  // server's standard_conforming_strings) and checked integers.
  let where = `exchange = ${literal(q.exchange)} and symbol = ${literal(q.symbol)} and timeframe = ${literal(q.timeframe)}`;
  if (q.from !== undefined) where += ` and ts >= ${q.from}`;
  if (q.to !== undefined) where += ` and ts < ${q.to}`;
  const stream = await sql.unsafe(`copy (${SELECT_COLUMNS} where ${where} order by ts) to stdout with (format binary)`).readable();
  const chunks: Uint8Array[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Uint8Array) => {
      chunks.push(c);
      total += c.length;
    });
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return decodeCopyBinary(concat(chunks, total));
}

/** A dollar-quoted SQL literal whose tag does not occur in the value. */
export function literal(value: string): string {
  if (value.includes('\0')) throw new RangeError('candle load: text values cannot contain NUL characters');
  let tag = '$c$';
  for (let k = 0; value.includes(tag); k++) tag = `$c${k}$`;
  return `${tag}${value}${tag}`;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ---- frontend messages (Parse, Bind, Execute, Sync) -------------------------------------------

const encoder = new TextEncoder();

function frame(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}

/** Parse + Bind (text parameters, binary results) + Execute + Sync, unnamed statement and portal. */
function extendedQuery(query: string, params: readonly string[]): Uint8Array {
  const q = encoder.encode(query);
  const parse = new Uint8Array(1 + q.length + 1 + 2);
  parse.set(q, 1); // '' statement name (a 0 byte), query, 0, no parameter types (inferred)
  const values = params.map((p) => encoder.encode(p));
  const bindLen = 2 + 2 + 2 + values.reduce((n, v) => n + 4 + v.length, 0) + 4;
  const bind = new Uint8Array(bindLen);
  const bv = new DataView(bind.buffer);
  let at = 2; // '' portal, '' statement
  bv.setInt16(at, 0); // no parameter format codes: all text
  at += 2;
  bv.setInt16(at, values.length);
  at += 2;
  for (const v of values) {
    bv.setInt32(at, v.length);
    bind.set(v, at + 4);
    at += 4 + v.length;
  }
  bv.setInt16(at, 1); // one result format code …
  bv.setInt16(at + 2, 1); // … binary, for every column
  const execute = new Uint8Array(5); // '' portal, no row limit
  const parts = [frame('P', parse), frame('B', bind), frame('E', execute), frame('S', new Uint8Array(0))];
  return concat(parts, parts.reduce((n, p) => n + p.length, 0));
}

// ---- decoding --------------------------------------------------------------------------------

const FIELDS = 6;

type Columns = readonly Float64Array[];

const columnsOf = (c: Candles): Columns => [c.ts, c.open, c.high, c.low, c.close, c.volume];

/** Read one row's six fields at `at` (pointing at the int16 field count) into row `i`. */
function readRow(view: DataView, at: number, cols: Columns, i: number): void {
  const n = view.getInt16(at);
  if (n !== FIELDS) throw new Error(`candle load: expected ${FIELDS} columns, got ${n}`);
  let p = at + 2;
  for (let f = 0; f < FIELDS; f++) {
    const len = view.getInt32(p);
    p += 4;
    if (len !== 8) {
      // Columns are NOT NULL int8/float8: anything else means the table is not what we expect.
      throw new Error(`candle load: column ${f} has ${len < 0 ? 'a NULL' : `${len} bytes`}, expected 8`);
    }
    // int8 ts: two 32-bit halves (exact below 2^53, no BigInt per row).
    cols[f]![i] = f === 0 ? view.getInt32(p) * 4294967296 + view.getUint32(p + 4) : view.getFloat64(p);
    p += 8;
  }
}

/** Backend messages: count DataRows, allocate exactly, decode; an ErrorResponse is thrown. */
export function decodeDataRows(buf: Uint8Array): Candles {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let rows = 0;
  for (let p = 0; p + 5 <= buf.length; p += 1 + view.getInt32(p + 1)) {
    const type = buf[p]!;
    if (type === 0x44 /* D */) rows++;
    else if (type === 0x45 /* E */) throw backendError(buf, p + 5, p + 1 + view.getInt32(p + 1));
  }
  const c = allocCandles(rows);
  const cols = columnsOf(c);
  let i = 0;
  for (let p = 0; p + 5 <= buf.length; p += 1 + view.getInt32(p + 1)) {
    if (buf[p] === 0x44) readRow(view, p + 5, cols, i++);
  }
  return c;
}

const COPY_SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // PGCOPY\n\377\r\n\0

/** A binary COPY stream: header, tuples (int16 field count, fields), trailer (-1). */
export function decodeCopyBinary(buf: Uint8Array): Candles {
  if (buf.length === 0) return allocCandles(0);
  for (let k = 0; k < COPY_SIGNATURE.length; k++) {
    if (buf[k] !== COPY_SIGNATURE[k]) throw new Error('candle load: not a binary COPY stream');
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const start = 11 + 8 + view.getInt32(15); // signature, flags, header extension length + extension
  let rows = 0;
  let p = start;
  while (p + 2 <= buf.length) {
    const n = view.getInt16(p);
    if (n === -1) break;
    p += 2;
    for (let f = 0; f < n; f++) p += 4 + Math.max(0, view.getInt32(p));
    rows++;
  }
  const c = allocCandles(rows);
  const cols = columnsOf(c);
  p = start;
  for (let i = 0; i < rows; i++) {
    readRow(view, p, cols, i);
    p += 2 + FIELDS * 12;
  }
  return c;
}

/** ErrorResponse fields (code byte + C string) → an Error carrying the SQLSTATE. */
function backendError(buf: Uint8Array, from: number, to: number): Error {
  const fields: Record<string, string> = {};
  let p = from;
  while (p < to && buf[p] !== 0) {
    const code = String.fromCharCode(buf[p]!);
    const end = buf.indexOf(0, p + 1);
    fields[code] = new TextDecoder().decode(buf.subarray(p + 1, end));
    p = end + 1;
  }
  const err = new Error(`candle load failed: ${fields.M ?? 'unknown database error'}`) as Error & { code?: string };
  err.code = fields.C;
  return err;
}
