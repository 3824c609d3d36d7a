import { sql, type SQL } from 'drizzle-orm';
import type { Candles } from '../../../domain/candles.ts';
import type { CandleGap, GapReport } from '../../../domain/candle-gaps.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Database } from '../client.ts';
import { loadCandlesPglite, loadCandlesPostgres } from './candle-binary-load.ts';
import { copyWritePglite, copyWritePostgres } from './candle-copy-write.ts';

/** How an upsert treats a candle that is already stored with other values. */
export type CandleConflictPolicy =
  /** Overwrite it (exchange data: the venue's latest answer wins). */
  | 'update'
  /** Keep the stored values (importing a file over data that is already there). */
  | 'keep';

export interface CandleUpsertOptions {
  /** Default `update`. Identical rows are never rewritten either way. */
  onConflict?: CandleConflictPolicy;
  /** Rows per statement or COPY batch (default 20,000 per statement, 100,000 per COPY). */
  batchRows?: number;
  /**
   * How rows travel: `copy` (binary COPY into a staging table, then one INSERT … ON CONFLICT per
   * batch — bulk imports), `statements` (one INSERT from column arrays per batch — a few candles).
   * Default: `copy` from {@link COPY_MIN_ROWS} rows on.
   */
  via?: 'copy' | 'statements';
  /** Called after each committed-to-be batch with rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface CandleUpsertResult {
  /** New candles. */
  inserted: number;
  /** Stored candles whose values changed (`update` only). */
  updated: number;
  /** Candles already stored and left as they were (identical, or kept). */
  unchanged: number;
}

/** First and last open time (UTC ms) and number of stored candles. */
export interface StoredCandleRange {
  first: number;
  last: number;
  count: number;
}

const DEFAULT_BATCH_ROWS = 20_000;
const DEFAULT_COPY_BATCH_ROWS = 100_000;
/** From this many candles on an upsert goes through COPY (four round trips a batch pay off). */
export const COPY_MIN_ROWS = 1_000;

/**
 * The `candles` table: idempotent bulk upserts, columnar loads, ranges and gaps per series
 * (exchange, symbol, timeframe). Time windows are half-open, `from <= ts < to`, on open times (UTC ms).
 *
 * Bulk writes (from COPY_MIN_ROWS candles) go through binary COPY into a staging table
 * (candle-copy-write.ts). Small writes send each column as one array parameter (`unnest`): 9
 * parameters per statement whatever the batch size — far from Postgres' 65,535-parameter limit. A whole upsert is one transaction (all or nothing), run on `tx`: PGlite has a single
 * connection, and touching the outer `db` inside a transaction deadlocks it.
 */
export class CandleStore {
  constructor(private readonly database: Pick<Database, 'db' | 'kind'>) {}

  /** Insert or update candles (ascending, unique open times, finite values) in one transaction. */
  async upsert(exchange: string, symbol: string, timeframe: string, candles: Candles, options: CandleUpsertOptions = {}): Promise<CandleUpsertResult> {
    checkKey(exchange, symbol, timeframe);
    checkCandles(candles);
    const total = candles.length;
    const result: CandleUpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    if (total === 0) return result;
    const policy = options.onConflict ?? 'update';
    if ((options.via ?? (total >= COPY_MIN_ROWS ? 'copy' : 'statements')) === 'copy') {
      const client = (this.database.db as unknown as { $client: unknown }).$client;
      const req = { exchange, symbol, timeframe, candles, policy, batchRows: Math.max(1, Math.floor(options.batchRows ?? DEFAULT_COPY_BATCH_ROWS)), onProgress: options.onProgress };
      const written = this.database.kind === 'pglite' ? await copyWritePglite(client, req) : await copyWritePostgres(client, req);
      return { inserted: written.inserted, updated: written.updated, unchanged: total - written.inserted - written.updated };
    }
    const batch = Math.max(1, Math.floor(options.batchRows ?? DEFAULT_BATCH_ROWS));
    await this.database.db.transaction(async (tx) => {
      for (let start = 0; start < total; start += batch) {
        const end = Math.min(total, start + batch);
        const rows = rowsOf<{ inserted: number | string; updated: number | string }>(
          await tx.execute(upsertStatement(exchange, symbol, timeframe, candles, start, end, policy)),
        );
        const inserted = Number(rows[0]?.inserted ?? 0);
        const updated = Number(rows[0]?.updated ?? 0);
        result.inserted += inserted;
        result.updated += updated;
        result.unchanged += end - start - inserted - updated;
        options.onProgress?.(end, total);
      }
    });
    return result;
  }

  /**
   * The stored candles of a series as columns, ascending. 1,000,000 candles load in well under a
   * second at 48 bytes each (see candle-binary-load.ts). Do not call it inside a transaction.
   */
  async load(exchange: string, symbol: string, timeframe: string, from?: number, to?: number): Promise<Candles> {
    const client = (this.database.db as unknown as { $client: unknown }).$client;
    const q = { exchange, symbol, timeframe, from, to };
    return this.database.kind === 'pglite' ? loadCandlesPglite(client, q) : loadCandlesPostgres(client, q);
  }

  /** First/last open time and count of the stored candles (in the window), or undefined when there are none. */
  async range(exchange: string, symbol: string, timeframe: string, from?: number, to?: number): Promise<StoredCandleRange | undefined> {
    const rows = rowsOf<{ first: number | null; last: number | null; count: number | string }>(
      await this.database.db.execute(
        sql`select min(ts)::float8 as first, max(ts)::float8 as last, count(*)::float8 as count from candles where ${seriesWhere(exchange, symbol, timeframe, from, to)}`,
      ),
    );
    const r = rows[0];
    if (!r || r.first === null || r.last === null) return undefined;
    return { first: Number(r.first), last: Number(r.last), count: Number(r.count) };
  }

  /** Open time of the newest stored candle (an index lookup), or undefined. */
  async latestTs(exchange: string, symbol: string, timeframe: string): Promise<number | undefined> {
    return this.edge(exchange, symbol, timeframe, 'desc');
  }

  /** Open time of the oldest stored candle (an index lookup), or undefined. */
  async earliestTs(exchange: string, symbol: string, timeframe: string): Promise<number | undefined> {
    return this.edge(exchange, symbol, timeframe, 'asc');
  }

  /**
   * Missing candles between stored ones (in the window), computed in the database: only the holes
   * come back, never the rows. Same rules as domain `findGaps` (a step that is not a whole number of
   * timeframes counts the grid slots strictly between).
   */
  async gaps(exchange: string, symbol: string, timeframe: string, timeframeMs: number, from?: number, to?: number): Promise<GapReport> {
    if (!Number.isSafeInteger(timeframeMs) || timeframeMs <= 0) throw new AppError('BAD_REQUEST', `timeframe must be a positive whole number of ms, got ${timeframeMs}`);
    const rows = rowsOf<{ prev: number | string; ts: number | string }>(
      await this.database.db.execute(
        sql`select prev::float8 as prev, ts::float8 as ts from (select ts, lag(ts) over (order by ts) as prev from candles where ${seriesWhere(exchange, symbol, timeframe, from, to)}) s where ts - prev > ${timeframeMs} order by ts`,
      ),
    );
    const gaps: CandleGap[] = [];
    let missing = 0;
    for (const r of rows) {
      const prev = Number(r.prev);
      const m = Math.ceil((Number(r.ts) - prev) / timeframeMs) - 1;
      if (m <= 0) continue;
      gaps.push({ from: prev + timeframeMs, to: prev + m * timeframeMs, missing: m });
      missing += m;
    }
    return { missing, gaps };
  }

  /** Delete the stored candles of a series (in the window); returns how many. */
  async delete(exchange: string, symbol: string, timeframe: string, from?: number, to?: number): Promise<number> {
    const rows = rowsOf<{ n: number | string }>(
      await this.database.db.execute(sql`with d as (delete from candles where ${seriesWhere(exchange, symbol, timeframe, from, to)} returning 1) select count(*)::float8 as n from d`),
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async edge(exchange: string, symbol: string, timeframe: string, dir: 'asc' | 'desc'): Promise<number | undefined> {
    const rows = rowsOf<{ ts: number | string }>(
      await this.database.db.execute(
        sql`select ts::float8 as ts from candles where ${seriesWhere(exchange, symbol, timeframe)} order by ts ${sql.raw(dir)} limit 1`,
      ),
    );
    return rows[0] === undefined ? undefined : Number(rows[0].ts);
  }
}

/** `db.execute()` answers `{ rows }` on PGlite and an array on postgres.js. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

function seriesWhere(exchange: string, symbol: string, timeframe: string, from?: number, to?: number): SQL {
  const parts = [sql`exchange = ${exchange}`, sql`symbol = ${symbol}`, sql`timeframe = ${timeframe}`];
  if (from !== undefined) parts.push(sql`ts >= ${checkTs('from', from)}`);
  if (to !== undefined) parts.push(sql`ts < ${checkTs('to', to)}`);
  return sql.join(parts, sql` and `);
}

function checkTs(name: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new AppError('BAD_REQUEST', `${name} must be a whole number of ms, got ${v}`);
  return v;
}

function checkKey(exchange: string, symbol: string, timeframe: string): void {
  for (const [name, v] of [['exchange', exchange], ['symbol', symbol], ['timeframe', timeframe]] as const) {
    if (typeof v !== 'string' || v.trim() === '' || v.includes('\0')) throw new AppError('BAD_REQUEST', `candle ${name} must be a non-empty string, got ${JSON.stringify(v)}`);
  }
}

/** One statement per batch must not name a ts twice (ON CONFLICT cannot touch a row twice), and NaN must never be stored. */
function checkCandles(c: Candles): void {
  for (let i = 0; i < c.length; i++) {
    const ts = c.ts[i]!;
    if (!Number.isSafeInteger(ts)) throw new AppError('BAD_REQUEST', `candle ${i}: open time ${ts} is not a whole number of ms`);
    if (i > 0 && ts <= c.ts[i - 1]!) throw new AppError('BAD_REQUEST', `candle ${i}: open times must be strictly ascending (${ts} after ${c.ts[i - 1]})`);
    if (!(Number.isFinite(c.open[i]!) && Number.isFinite(c.high[i]!) && Number.isFinite(c.low[i]!) && Number.isFinite(c.close[i]!) && Number.isFinite(c.volume[i]!))) {
      throw new AppError('BAD_REQUEST', `candle at ${new Date(ts).toISOString()}: open, high, low, close and volume must be finite numbers`);
    }
  }
}

/** `{v1,v2,…}`: JS prints the shortest text that reads back as the same double, so nothing is lost. */
function arrayLiteral(col: Float64Array, start: number, end: number): string {
  return `{${Array.prototype.join.call(col.subarray(start, end), ',')}}`;
}

function upsertStatement(exchange: string, symbol: string, timeframe: string, c: Candles, start: number, end: number, policy: CandleConflictPolicy): SQL {
  const insert = sql`insert into candles (exchange, symbol, timeframe, ts, open, high, low, close, volume)
    select ${exchange}, ${symbol}, ${timeframe}, u.* from unnest(${arrayLiteral(c.ts, start, end)}::bigint[], ${arrayLiteral(c.open, start, end)}::float8[],
      ${arrayLiteral(c.high, start, end)}::float8[], ${arrayLiteral(c.low, start, end)}::float8[], ${arrayLiteral(c.close, start, end)}::float8[],
      ${arrayLiteral(c.volume, start, end)}::float8[]) as u`;
  if (policy === 'keep') {
    return sql`with ins as (${insert} on conflict (exchange, symbol, timeframe, ts) do nothing returning 1)
      select count(*)::float8 as inserted, 0 as updated from ins`;
  }
  // Only rows whose values differ are rewritten (no dead tuples for an identical re-import); a fresh
  // row has xmax = 0, an updated one carries the updating transaction's id.
  return sql`with ins as (${insert} on conflict (exchange, symbol, timeframe, ts) do update
      set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
      where (candles.open, candles.high, candles.low, candles.close, candles.volume)
        is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted)::float8 as inserted, count(*) filter (where not inserted)::float8 as updated from ins`;
}
