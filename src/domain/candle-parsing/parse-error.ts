import { AppError } from '../errors.ts';

/** Why a candle file was refused; also in `AppError.details.reason` so callers and tests can branch on it. */
export type CandleParseReason =
  | 'empty_file'
  | 'bad_json'
  | 'bad_shape'
  | 'missing_column'
  | 'duplicate_column'
  | 'column_count'
  | 'line_too_long'
  | 'empty_value'
  | 'not_a_number'
  | 'not_finite'
  | 'bad_date'
  | 'non_positive_price'
  | 'high_below_low'
  | 'high_below_open_close'
  | 'low_above_open_close'
  | 'negative_volume'
  | 'duplicate_timestamp';

/**
 * The one error a malformed candle file produces: BAD_REQUEST, with the file name, the place
 * (`line 7`, `index 3`, `row "12"`) and the reason in the message, since the message is what the
 * user sees in chat or the terminal.
 */
export function candleParseError(file: string, where: string, reason: CandleParseReason, text: string): AppError {
  const place = where ? `${file} ${where}` : file;
  return new AppError('BAD_REQUEST', `${place}: ${text}`, { file, where, reason });
}

/** Render a raw cell for an error message: quoted and cut short, so a garbage line cannot flood the reply. */
export function quoteCell(raw: string): string {
  const s = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return JSON.stringify(s);
}

const NON_FINITE_WORDS = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Classify a numeric cell that did not parse: empty, NaN/Infinity (refused because every
 * indicator downstream would silently propagate it), or plain garbage.
 */
export function badNumberReason(column: string, raw: string): { reason: CandleParseReason; text: string } {
  const s = raw.trim();
  if (s.length === 0) return { reason: 'empty_value', text: `column "${column}" is empty` };
  if (NON_FINITE_WORDS.test(s) || (!Number.isNaN(Number(s)) && !Number.isFinite(Number(s)))) {
    return { reason: 'not_finite', text: `column "${column}" is not a finite number (${quoteCell(s)})` };
  }
  return { reason: 'not_a_number', text: `column "${column}" is not a number (${quoteCell(s)})` };
}

/** Message for a time cell that is neither an epoch number nor an ISO-like date. */
export function badDateReason(raw: string): { reason: CandleParseReason; text: string } {
  const s = raw.trim();
  if (s.length === 0) return { reason: 'empty_value', text: 'column "time" is empty' };
  return {
    reason: 'bad_date',
    text: `unparseable date ${quoteCell(s)} (expected an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z, or epoch s/ms/µs)`,
  };
}
