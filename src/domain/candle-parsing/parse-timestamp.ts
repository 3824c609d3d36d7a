import { asciiScratch } from './ascii-bytes.ts';
import { parseDecimalBytes } from './parse-number.ts';

/**
 * Candle time parsing: epoch numbers (unit detected by magnitude) and ISO-8601-like date strings.
 * Everything becomes UTC epoch milliseconds, rounded to the nearest millisecond.
 *
 * Epoch unit thresholds, on the absolute value. Each boundary sits where the smaller unit would
 * mean a date after the year 5000 and the larger unit a date before 1974, so any realistic market
 * data (1974 … 5000) is read unambiguously:
 *   |x| < 1e11  → seconds       (1e11 s  = year 5138; 1e11 ms = 1973-03-03)
 *   |x| < 1e14  → milliseconds  (1e14 ms = year 5138; 1e14 µs = 1973-03-03)
 *   |x| < 1e17  → microseconds
 *   |x| < 1e20  → nanoseconds   (pandas `date_unit="ns"`)
 *   otherwise   → not a date
 */
export const EPOCH_SECONDS_BELOW = 1e11;
export const EPOCH_MILLIS_BELOW = 1e14;
export const EPOCH_MICROS_BELOW = 1e17;
export const EPOCH_NANOS_BELOW = 1e20;

/** Largest |ms| a JavaScript Date can hold (±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

/** Convert an epoch number in s, ms, µs or ns (unit by magnitude, see above) to ms; NaN if out of range. */
export function epochToMs(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const a = Math.abs(x);
  let ms: number;
  if (a < EPOCH_SECONDS_BELOW) ms = Math.round(x * 1_000);
  else if (a < EPOCH_MILLIS_BELOW) ms = Math.round(x);
  else if (a < EPOCH_MICROS_BELOW) ms = Math.round(x / 1_000);
  else if (a < EPOCH_NANOS_BELOW) ms = Math.round(x / 1_000_000);
  else return Number.NaN;
  return Math.abs(ms) <= MAX_DATE_MS ? ms + 0 : Number.NaN; // `+ 0` turns -0 into 0
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; no Date object). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Reading state for the ISO scanner; module-level scratch keeps the hot path allocation-free.
let pos = 0;

/** Read 1..maxLen ASCII digits at `pos`; -1 if there are fewer than minLen. */
function digitsAt(text: Uint8Array, end: number, minLen: number, maxLen: number): number {
  let value = 0;
  let n = 0;
  while (pos < end && n < maxLen) {
    const c = text[pos]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    pos++;
    n++;
  }
  return n >= minLen ? value : -1;
}

/**
 * Parse an ISO-8601-like date in `text[start, end)` to UTC epoch ms; NaN if it is not one.
 * Accepted: `YYYY-MM-DD` (or `YYYY/MM/DD`), optionally followed by `T`, `t` or a space and
 * `HH:MM[:SS[.fraction]]` (fraction up to 9 digits, `.` or `,`), optionally followed by `Z` or an
 * offset `±HH[:MM]` / `±HHMM` (a space before the zone is allowed). No zone means UTC.
 * Month, day, hour, minute and second are range-checked (so `2021-02-30` is refused).
 */
export function parseIsoDate(text: string, start: number, end: number): number {
  return parseIsoDateBytes(asciiScratch(text, start, end), 0, end - start);
}

/** {@link parseIsoDate} on `bytes[start, end)`. */
export function parseIsoDateBytes(text: Uint8Array, start: number, end: number): number {
  pos = start;
  const year = digitsAt(text, end, 4, 4);
  if (year < 0 || pos >= end) return Number.NaN;
  const sep = text[pos]!;
  if (sep !== 45 /* - */ && sep !== 47 /* / */) return Number.NaN;
  pos++;
  const month = digitsAt(text, end, 1, 2);
  if (month < 1 || month > 12 || pos >= end || text[pos]! !== sep) return Number.NaN;
  pos++;
  const day = digitsAt(text, end, 1, 2);
  if (day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  if (pos === end) return ms;

  const t = text[pos]!;
  if (t !== 84 /* T */ && t !== 116 /* t */ && t !== 32 /* space */) return Number.NaN;
  pos++;
  const hour = digitsAt(text, end, 1, 2);
  if (hour < 0 || hour > 23 || pos >= end || text[pos]! !== 58 /* : */) return Number.NaN;
  pos++;
  const minute = digitsAt(text, end, 2, 2);
  if (minute < 0 || minute > 59) return Number.NaN;
  let second = 0;
  let fractionMs = 0;
  if (pos < end && text[pos]! === 58) {
    pos++;
    second = digitsAt(text, end, 2, 2);
    if (second < 0 || second > 59) return Number.NaN;
    if (pos < end && (text[pos]! === 46 /* . */ || text[pos]! === 44 /* , */)) {
      pos++;
      const from = pos;
      const fraction = digitsAt(text, end, 1, 9);
      if (fraction < 0) return Number.NaN;
      fractionMs = Math.round((fraction / 10 ** (pos - from)) * 1_000);
    }
  }
  ms += hour * 3_600_000 + minute * 60_000 + second * 1_000 + fractionMs;
  if (pos === end) return ms;

  if (text[pos]! === 32) pos++;
  if (pos >= end) return Number.NaN;
  const z = text[pos]!;
  if (z === 90 /* Z */ || z === 122 /* z */) {
    pos++;
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    pos++;
    const oh = digitsAt(text, end, 2, 2);
    if (oh < 0 || oh > 23) return Number.NaN;
    let om = 0;
    if (pos < end) {
      if (text[pos]! === 58) pos++;
      om = digitsAt(text, end, 2, 2);
      if (om < 0 || om > 59) return Number.NaN;
    }
    // A local time at +02:00 is two hours ahead of UTC: subtract to get UTC.
    const offset = (oh * 60 + om) * 60_000;
    ms += z === 43 ? -offset : offset;
  } else {
    return Number.NaN;
  }
  return pos === end ? ms : Number.NaN;
}

/**
 * Parse a candle time cell in `text[start, end)`: a plain number is an epoch (unit by magnitude),
 * anything else must be an ISO-like date. Returns UTC epoch ms, or NaN when it is neither.
 */
export function parseTimestamp(text: string, start: number, end: number): number {
  return start >= end ? Number.NaN : parseTimestampBytes(asciiScratch(text, start, end), 0, end - start);
}

/** {@link parseTimestamp} on `bytes[start, end)` (the CSV reader's path: no string per cell). */
export function parseTimestampBytes(text: Uint8Array, start: number, end: number): number {
  // A 4-digit year followed by '-' or '/' is a date; anything else must be an epoch number
  // (parseDecimalBytes refuses what is not one).
  if (end - start > 4) {
    const c4 = text[start + 4]!;
    if (c4 === 45 || c4 === 47) return parseIsoDateBytes(text, start, end);
  }
  return epochToMs(parseDecimalBytes(text, start, end));
}

/** Parse a candle time from a JSON value: a number is an epoch, a string goes through {@link parseTimestamp}. */
export function timestampFromValue(value: unknown): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value === 'string') {
    const s = value.trim();
    return s.length === 0 ? Number.NaN : parseTimestamp(s, 0, s.length);
  }
  return Number.NaN;
}
