import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Candles } from '../../domain/candles.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { CsvCandleParser } from '../../domain/candle-parsing/csv-candles.ts';
import { detectCandleFormat } from '../../domain/candle-parsing/detect-format.ts';
import type { ParsedCandleText } from '../../domain/candle-parsing/parse-candle-text.ts';

export interface ReadCandleFileOptions {
  /** Bytes per read; only tests change it (to force lines across chunk boundaries). Default 256 KiB. */
  readonly chunkBytes?: number;
}

/**
 * 256 KiB: as fast as 1 MiB (a few hundred reads for a 60 MB file), and the read buffer and the
 * format probe's copy of the first read, both held to the end of a file backtest, cost 1.5 MiB less
 * of its peak (docs/performance.md, "Files and bulk loads").
 */
const DEFAULT_CHUNK_BYTES = 1 << 18;

/**
 * Read a candle file (CSV or JSON, see docs/candle-data.md) with the parse report. CSV is streamed
 * as bytes: each read fills one reused buffer that goes straight into the byte-level parser, so
 * memory is the columns plus one buffer — never the text, never a string per row. JSON has to be
 * parsed whole (`JSON.parse`), so it is read into memory first.
 *
 * Errors: a missing file is NOT_FOUND, an unreadable one FORBIDDEN, a directory or malformed content
 * BAD_REQUEST naming the file, line/index and reason (messages use the file's base name). Other I/O
 * failures are rethrown as they are. Nothing partial is returned.
 */
export async function readCandleFileDetailed(path: string, options: ReadCandleFileOptions = {}): Promise<ParsedCandleText> {
  const name = basename(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw new AppError('BAD_REQUEST', `${name} is a directory, not a candle file`);
    const size = info.size;
    const buffer = new Uint8Array(Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, Math.max(size, 1))));
    let csv: CsvCandleParser | undefined;
    let json: Uint8Array[] | undefined;
    let head: Uint8Array | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (!csv && !json) {
        // Decide the format from the first bytes (a few reads when tests read one byte at a time).
        // The first read is copied only when it is kept past the next read (a short probe, JSON's
        // parts): the CSV parser copies nothing it is given, and a copy of a whole read would stay
        // resident to the end of a file backtest (nothing collects it before).
        const first = head ? concat(head, chunk) : chunk;
        if (first.length < HEAD_BYTES && first.length < size) {
          head = first === chunk ? chunk.slice() : first;
          continue;
        }
        head = undefined;
        if (detectCandleFormat(name, new TextDecoder().decode(first.subarray(0, HEAD_BYTES))) === 'json') json = [first === chunk ? chunk.slice() : first];
        else (csv = new CsvCandleParser(name, rowEstimate(first, size))).push(first);
        continue;
      }
      if (csv) csv.push(chunk);
      else json!.push(chunk.slice());
    }
    if (head) {
      // A file shorter than the format probe.
      if (detectCandleFormat(name, new TextDecoder().decode(head)) === 'json') json = [head];
      else (csv = new CsvCandleParser(name)).push(head);
    }
    if (json) {
      // JSON's parser is loaded only for a JSON file.
      const { parseJsonCandles } = await import('../../domain/candle-parsing/json-candles.ts');
      return { ...parseJsonCandles(new TextDecoder().decode(concat(...json)), name), format: 'json' };
    }
    return { ...(csv ?? new CsvCandleParser(name)).end(), format: 'csv' };
  } catch (err) {
    throw mapFsError(err, name);
  } finally {
    await handle?.close();
  }
}

const HEAD_BYTES = 64;

/**
 * Rows to reserve: the file size over the line length seen in the first read (plus 1 %), so the
 * columns are allocated once at about their final size; ~48 bytes a row when the first read is too
 * short to tell. The builder doubles its columns if the guess is short.
 */
function rowEstimate(first: Uint8Array, size: number): number {
  let lines = 0;
  for (let i = first.indexOf(10); i !== -1; i = first.indexOf(10, i + 1)) lines++;
  if (lines < 50) return Math.ceil(size / 48);
  return Math.ceil((size / (first.length / lines)) * 1.01) + 16;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Read a candle file into columnar candles, ascending by time, exact duplicates dropped.
 * See {@link readCandleFileDetailed} for formats and errors.
 */
export async function readCandleFile(path: string, options: ReadCandleFileOptions = {}): Promise<Candles> {
  return (await readCandleFileDetailed(path, options)).candles;
}

function mapFsError(err: unknown, name: string): unknown {
  if (isAppError(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `candle file ${name} not found`, { file: name }, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('FORBIDDEN', `candle file ${name} cannot be read (permission denied)`, { file: name }, { cause: err });
  }
  if (code === 'EISDIR') return new AppError('BAD_REQUEST', `${name} is a directory, not a candle file`, { file: name }, { cause: err });
  return err;
}
