import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Candles } from '../../domain/candles.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { CsvCandleParser } from '../../domain/candle-parsing/csv-candles.ts';
import { detectCandleFormat } from '../../domain/candle-parsing/detect-format.ts';
import { parseJsonCandles } from '../../domain/candle-parsing/json-candles.ts';
import type { ParsedCandleText } from '../../domain/candle-parsing/parse-candle-text.ts';

export interface ReadCandleFileOptions {
  /** Bytes per read; only tests change it (to force lines across chunk boundaries). Default 1 MiB. */
  readonly chunkBytes?: number;
}

const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Read a candle file (CSV or JSON, see docs/candle-data.md) with the parse report. CSV is streamed:
 * chunks go straight into the incremental parser, so memory is the columns plus one chunk, never the
 * whole text. JSON has to be parsed whole (`JSON.parse`), so it is read into memory first.
 *
 * Errors: a missing file is NOT_FOUND, an unreadable one FORBIDDEN, a directory or malformed content
 * BAD_REQUEST naming the file, line/index and reason (messages use the file's base name). Other I/O
 * failures are rethrown as they are. Nothing partial is returned.
 */
export async function readCandleFileDetailed(path: string, options: ReadCandleFileOptions = {}): Promise<ParsedCandleText> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new AppError('BAD_REQUEST', `${name} is a directory, not a candle file`);
    size = info.size;
  } catch (err) {
    throw mapFsError(err, name);
  }
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: options.chunkBytes ?? DEFAULT_CHUNK_BYTES });
  try {
    let csv: CsvCandleParser | undefined;
    let jsonChunks: string[] | undefined;
    for await (const chunk of stream as AsyncIterable<string>) {
      if (!csv && !jsonChunks) {
        if (detectCandleFormat(name, chunk.slice(0, 64)) === 'json') jsonChunks = [];
        // ~48 bytes per row in typical candle CSVs; the builder doubles if the guess is short.
        else csv = new CsvCandleParser(name, Math.ceil(size / 48));
      }
      if (csv) csv.push(chunk);
      else jsonChunks!.push(chunk);
    }
    if (jsonChunks) return { ...parseJsonCandles(jsonChunks.join(''), name), format: 'json' };
    return { ...(csv ?? new CsvCandleParser(name)).end(), format: 'csv' };
  } catch (err) {
    throw mapFsError(err, name);
  } finally {
    stream.destroy();
  }
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
