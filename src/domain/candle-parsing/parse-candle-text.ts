import type { Candles } from '../candles.ts';
import type { ParsedCandles } from './candle-builder.ts';
import { parseCsvCandles } from './csv-candles.ts';
import { detectCandleFormat, type CandleFileFormat } from './detect-format.ts';
import { parseJsonCandles } from './json-candles.ts';

export interface ParsedCandleText extends ParsedCandles {
  readonly format: CandleFileFormat;
}

/**
 * Parse candle file text in any accepted format (docs/candle-data.md), with what the parse found
 * (rows read, duplicates dropped, whether it had to sort) for import reports.
 * `name` is used to pick the format (see detectCandleFormat) and in error messages.
 */
export function parseCandleTextDetailed(text: string, name: string): ParsedCandleText {
  const format = detectCandleFormat(name, text.slice(0, 64));
  const parsed = format === 'json' ? parseJsonCandles(text, name) : parseCsvCandles(text, name);
  return { ...parsed, format };
}

/**
 * Parse candle file text (CSV or JSON, detected) into columnar candles sorted ascending by time,
 * exact duplicate rows dropped. A malformed file throws AppError BAD_REQUEST whose message names
 * the file, the line (CSV) or index (JSON) and the reason; nothing partial is ever returned.
 */
export function parseCandleText(text: string, name: string): Candles {
  return parseCandleTextDetailed(text, name).candles;
}
