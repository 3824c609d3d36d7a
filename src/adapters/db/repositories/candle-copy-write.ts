/**
 * Bulk candle writes through COPY, on both drivers: the columns are encoded as PostgreSQL's *binary*
 * COPY format (int8 and float8 as 8 big-endian bytes — no number is ever formatted as text). A batch
 * whose time window holds no stored candle of the series is copied straight into `candles` (a first
 * import); otherwise it is copied into a temporary staging table and moved into `candles` with one
 * INSERT … ON CONFLICT, so a re-import stays idempotent (duplicates ignored or, with `update`, only
 * changed rows rewritten) and the counts are exact.
 *
 * - postgres.js: `COPY … FROM STDIN (FORMAT binary)` through its writable stream.
 * - PGlite: `COPY … FROM '/dev/blob' (FORMAT binary)` with the batch as the query's blob.
 *
 * A write into an empty `candles` table (a first import) loads the rows without the primary key and
 * builds the key once afterwards, in the same transaction: one sort of the keys instead of a B-tree
 * insert per row (a million rows: ~45 % less database CPU, docs/performance.md "Files and bulk
 * loads"). The table is locked for it (PostgreSQL: only if the lock is free at once and the role
 * owns the table, else the usual path runs) and the key comes back with the same name and columns
 * before the commit.
 *
 * The whole write is one transaction: all or nothing. Batches bound the memory (a batch of 100,000
 * candles is 7.4 MB of COPY data) and drive the progress bar.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Candles } from '../../../domain/candles.ts';

export type CopyConflictPolicy = 'update' | 'keep';

export interface CopyWriteResult {
  inserted: number;
  updated: number;
}

/** Bytes per row: field count (2) + six fields of length (4) and value (8). */
const ROW_BYTES = 2 + 6 * 12;
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // PGCOPY\n\377\r\n\0
const HEADER_BYTES = SIGNATURE.length + 8;
const TWO_32 = 4_294_967_296;

/**
 * Rows `[start, end)` of the columns as one binary COPY stream (header, tuples, trailer): the six
 * columns ts, open, high, low, close, volume — preceded by the series key (exchange, symbol,
 * timeframe as text) when `key` is given, for a COPY straight into `candles`.
 */
export function encodeCopyBinary(c: Candles, start: number, end: number, key?: SeriesKey): Uint8Array {
  const rows = end - start;
  const keyFields = key ? [key.exchange, key.symbol, key.timeframe].map((t) => new TextEncoder().encode(t)) : [];
  let keyBytes = 0;
  for (const f of keyFields) keyBytes += 4 + f.length;
  const out = new Uint8Array(HEADER_BYTES + rows * (ROW_BYTES + keyBytes) + 2);
  out.set(SIGNATURE, 0);
  const v = new DataView(out.buffer);
  // flags (int32 0) and header extension length (int32 0) are already zero.
  let o = HEADER_BYTES;
  const fields = 6 + keyFields.length;
  for (let i = start; i < end; i++) {
    v.setInt16(o, fields);
    o += 2;
    for (let k = 0; k < keyFields.length; k++) {
      const f = keyFields[k]!;
      v.setInt32(o, f.length);
      out.set(f, o + 4);
      o += 4 + f.length;
    }
    // int8 open time: high and low 32-bit words (exact for every safe integer, negative ones too).
    const ts = c.ts[i]!;
    const hi = Math.floor(ts / TWO_32);
    v.setInt32(o, 8);
    v.setInt32(o + 4, hi);
    v.setUint32(o + 8, ts - hi * TWO_32);
    o += 12;
    v.setInt32(o, 8);
    v.setFloat64(o + 4, c.open[i]!);
    v.setInt32(o + 12, 8);
    v.setFloat64(o + 16, c.high[i]!);
    v.setInt32(o + 24, 8);
    v.setFloat64(o + 28, c.low[i]!);
    v.setInt32(o + 36, 8);
    v.setFloat64(o + 40, c.close[i]!);
    v.setInt32(o + 48, 8);
    v.setFloat64(o + 52, c.volume[i]!);
    o += 60;
  }
  v.setInt16(o, -1);
  return out;
}

export interface SeriesKey {
  exchange: string;
  symbol: string;
  timeframe: string;
}

const STAGING = 'tradeops_candle_import';
const DIRECT_COLUMNS = 'candles (exchange, symbol, timeframe, ts, open, high, low, close, volume)';
/** Is any candle of the series stored in [$4, $5]? If not, a batch can be copied straight into candles. */
const ANY_STORED = 'select exists (select 1 from candles where exchange = $1 and symbol = $2 and timeframe = $3 and ts between $4 and $5) as stored';
const CREATE_STAGING = `create temp table if not exists ${STAGING} (ts bigint not null, open float8 not null, high float8 not null, low float8 not null, close float8 not null, volume float8 not null) on commit drop`;
const COPY_COLUMNS = `${STAGING} (ts, open, high, low, close, volume)`;
const ANY_CANDLE = 'select exists (select 1 from candles) as stored';
/** The primary key of candles as migrations/0000_init.sql creates it: dropped and rebuilt by a first load. */
const PRIMARY_KEY = 'candles_exchange_symbol_timeframe_ts_pk';
const DROP_KEY = `alter table candles drop constraint ${PRIMARY_KEY}`;
const ADD_KEY = `alter table candles add constraint ${PRIMARY_KEY} primary key (exchange, symbol, timeframe, ts)`;
/**
 * Sort memory for PGlite's key build: with the bot's 16 MB (client.ts) a million keys sort on disk
 * (1.1–1.5 s), in memory ~0.8 s. Only for this transaction (`set local`); the WASM heap grows only
 * as far as a sort needs it.
 */
const PGLITE_KEY_BUILD_MEMORY = "set local maintenance_work_mem = '128MB'";

/** Move the staged batch into candles; $1..$3 are exchange, symbol, timeframe. One row: inserted, updated. */
function moveStatement(policy: CopyConflictPolicy): string {
  const insert = `insert into candles (exchange, symbol, timeframe, ts, open, high, low, close, volume)
    select $1, $2, $3, ts, open, high, low, close, volume from ${STAGING}`;
  if (policy === 'keep') {
    return `with ins as (${insert} on conflict (exchange, symbol, timeframe, ts) do nothing returning 1)
      select count(*)::float8 as inserted, 0::float8 as updated from ins`;
  }
  return `with ins as (${insert} on conflict (exchange, symbol, timeframe, ts) do update
      set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
      where (candles.open, candles.high, candles.low, candles.close, candles.volume)
        is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted)::float8 as inserted, count(*) filter (where not inserted)::float8 as updated from ins`;
}

export interface CopyWriteRequest {
  exchange: string;
  symbol: string;
  timeframe: string;
  candles: Candles;
  policy: CopyConflictPolicy;
  batchRows: number;
  onProgress?: (done: number, total: number) => void;
}

/** What we use of a PGlite instance. */
interface PgliteTx {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
}
interface PgliteCopyClient {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
}

/** What we use of postgres.js. */
interface PostgresTx {
  unsafe<T = unknown>(sql: string, params?: unknown[]): Promise<T> & { writable(): Promise<NodeJS.WritableStream> };
  savepoint<T>(fn: (sp: PostgresTx) => Promise<T>): Promise<T>;
}
interface PostgresCopyClient {
  begin<T>(fn: (tx: PostgresTx) => Promise<T>): Promise<T>;
}

type Counts = { inserted: number | string; updated: number | string };

export async function copyWritePglite(client: unknown, req: CopyWriteRequest): Promise<CopyWriteResult> {
  const pg = client as PgliteCopyClient;
  const params = [req.exchange, req.symbol, req.timeframe];
  const move = moveStatement(req.policy);
  const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return pg.transaction(async (tx) => {
    /** Rows `[start, end)` straight into candles. */
    const direct = async (start: number, end: number): Promise<Counts> => {
      await tx.query(`copy ${DIRECT_COLUMNS} from '/dev/blob' with (format binary)`, [], { blob: blob(encodeCopyBinary(req.candles, start, end, req)) });
      return { inserted: end - start, updated: 0 };
    };
    // One process per data directory and one connection: nothing else reads or writes meanwhile.
    if (!(await tx.query<{ stored: boolean }>(ANY_CANDLE)).rows[0]?.stored) {
      await tx.exec(DROP_KEY);
      const result = await eachBatch(req, direct);
      await tx.exec(PGLITE_KEY_BUILD_MEMORY);
      await tx.exec(ADD_KEY);
      return result;
    }
    await tx.exec(CREATE_STAGING);
    return eachBatch(req, async (start, end) => {
      // One process per data directory: nothing can write this series between the check and the COPY.
      const stored = (await tx.query<{ stored: boolean }>(ANY_STORED, [...params, req.candles.ts[start], req.candles.ts[end - 1]])).rows[0]?.stored;
      if (!stored) return direct(start, end);
      await tx.query(`copy ${COPY_COLUMNS} from '/dev/blob' with (format binary)`, [], { blob: blob(encodeCopyBinary(req.candles, start, end)) });
      const counts = (await tx.query<Counts>(move, params)).rows[0];
      await tx.exec(`truncate ${STAGING}`);
      return counts;
    });
  });
}

export async function copyWritePostgres(client: unknown, req: CopyWriteRequest): Promise<CopyWriteResult> {
  const sql = client as PostgresCopyClient;
  const params = [req.exchange, req.symbol, req.timeframe];
  const move = moveStatement(req.policy);
  const copy = async (tx: PostgresTx, target: string, bytes: Uint8Array) => {
    const writable = await tx.unsafe(`copy ${target} from stdin with (format binary)`).writable();
    await pipeline(Readable.from([bytes]), writable);
  };
  /** Rows `[start, end)` straight into candles, in `tx` (or a savepoint of it). */
  const direct = async (tx: PostgresTx, start: number, end: number): Promise<Counts> => {
    await copy(tx, DIRECT_COLUMNS, encodeCopyBinary(req.candles, start, end, req));
    return { inserted: end - start, updated: 0 };
  };
  return sql.begin(async (tx) => {
    if (await claimEmptyTable(tx)) {
      const result = await eachBatch(req, (start, end) => direct(tx, start, end));
      await tx.unsafe(ADD_KEY);
      return result;
    }
    await tx.unsafe(CREATE_STAGING);
    return eachBatch(req, async (start, end) => {
      const stored = (await tx.unsafe<Array<{ stored: boolean }>>(ANY_STORED, [...params, String(req.candles.ts[start]), String(req.candles.ts[end - 1])]))[0]?.stored;
      if (!stored) {
        // Nothing of the series stored in this window: straight into candles. Another process may
        // write the same candles meanwhile; then the savepoint rolls back and the staged path runs.
        try {
          return await tx.savepoint((sp) => direct(sp, start, end));
        } catch (err) {
          if ((err as { code?: string }).code !== '23505') throw err;
        }
      }
      await copy(tx, COPY_COLUMNS, encodeCopyBinary(req.candles, start, end));
      const counts = (await tx.unsafe<Counts[]>(move, params))[0];
      await tx.unsafe(`truncate ${STAGING}`);
      return counts;
    });
  });
}

const NOT_EMPTY = new Error('candles is not empty');

/**
 * PostgreSQL: is candles empty, and is it now ours until the commit with its primary key dropped?
 * Other sessions may use the table: the lock is taken only if it is free at once (NOWAIT), and
 * emptiness is checked again under it. Anything that stops the claim (the lock taken, a row
 * committed meanwhile, a role that does not own the table) rolls the savepoint back, lock included,
 * and the import takes the usual path.
 */
async function claimEmptyTable(tx: PostgresTx): Promise<boolean> {
  if ((await tx.unsafe<Array<{ stored: boolean }>>(ANY_CANDLE))[0]?.stored) return false;
  try {
    await tx.savepoint(async (sp) => {
      await sp.unsafe('lock table candles in access exclusive mode nowait');
      if ((await sp.unsafe<Array<{ stored: boolean }>>(ANY_CANDLE))[0]?.stored) throw NOT_EMPTY;
      await sp.unsafe(DROP_KEY);
    });
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 55P03 lock not available, 42501 not the owner, 42704 no such constraint (a changed schema).
    if (err === NOT_EMPTY || code === '55P03' || code === '42501' || code === '42704') return false;
    throw err;
  }
}

async function eachBatch(req: CopyWriteRequest, write: (start: number, end: number) => Promise<Counts | undefined>): Promise<CopyWriteResult> {
  const total = req.candles.length;
  const result: CopyWriteResult = { inserted: 0, updated: 0 };
  for (let start = 0; start < total; start += req.batchRows) {
    const end = Math.min(total, start + req.batchRows);
    const counts = await write(start, end);
    result.inserted += Number(counts?.inserted ?? 0);
    result.updated += Number(counts?.updated ?? 0);
    req.onProgress?.(end, total);
  }
  return result;
}
