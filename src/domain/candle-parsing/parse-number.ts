import { asciiScratch, latin1 } from './ascii-bytes.ts';

/**
 * Decimal parsing straight from a range of bytes (a CSV file as read, never decoded), or of a larger
 * string, so a row can be parsed without slicing every field into its own string.
 *
 * Why not `Number(text.slice(a, b))` everywhere: on a million-row file that is five million short
 * strings. The fast path below is Clinger's: when the digits fit in an exact double (< 2^53) and the
 * power of ten is exact (|e| <= 22), one multiplication or division of two exact values is correctly
 * rounded, so the result is bit-for-bit what `Number()` gives. Anything else (long mantissas, huge
 * exponents) falls back to `Number()` on the slice, which stays correct, only slower.
 */

/** 10^0 … 10^22: the powers of ten a double holds exactly (Clinger's fast path). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Mantissas below this are exact doubles. */
export const MAX_EXACT = 2 ** 53;

/**
 * Parse the decimal number in `text[start, end)` (no surrounding whitespace expected).
 * Accepts `[+-]digits[.digits][(e|E)[+-]digits]`, also `.5` and `5.`.
 * Returns NaN for anything else — including an empty range, `NaN`, `Infinity`, hex and `1_000` —
 * so callers can report "not a number" without a second check.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  return start >= end ? Number.NaN : parseDecimalBytes(asciiScratch(text, start, end), 0, end - start);
}

/** {@link parseDecimal} on `bytes[start, end)` (ASCII / UTF-8 bytes). */
export function parseDecimalBytes(text: Uint8Array, start: number, end: number): number {
  parseDecimalInto(text, start, end, ONE, 0);
  return ONE[0]!;
}

const ONE = new Float64Array(1);

/**
 * {@link parseDecimalBytes} writing its result to `out[k]` instead of returning it: the CSV reader's
 * path. A double returned from a call V8 does not inline is boxed into a heap number — one object per
 * cell, hundreds of MB of garbage on a large file.
 */
export function parseDecimalInto(text: Uint8Array, start: number, end: number, out: Float64Array, k: number): void {
  let p = start;
  if (p >= end) {
    out[k] = Number.NaN;
    return;
  }
  let negative = false;
  let c = text[p]!;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    p++;
  }
  let mantissa = 0;
  let digits = 0; // digits seen in integer + fraction part
  let fractionDigits = 0;
  let exact = true;
  while (p < end) {
    c = text[p]!;
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    p++;
  }
  if (p < end && text[p]! === 46 /* . */) {
    p++;
    while (p < end) {
      c = text[p]!;
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fractionDigits++;
      p++;
    }
  }
  if (digits === 0) {
    out[k] = Number.NaN;
    return;
  }
  if (mantissa >= MAX_EXACT) exact = false;
  let exponent = 0;
  if (p < end) {
    c = text[p]!;
    if (c !== 101 /* e */ && c !== 69 /* E */) {
    out[k] = Number.NaN;
    return;
  }
    p++;
    let expNegative = false;
    if (p < end) {
      c = text[p]!;
      if (c === 45 || c === 43) {
        expNegative = c === 45;
        p++;
      }
    }
    let expDigits = 0;
    while (p < end) {
      c = text[p]!;
      if (c < 48 || c > 57) {
    out[k] = Number.NaN;
    return;
  }
      exponent = exponent * 10 + (c - 48);
      expDigits++;
      p++;
    }
    if (expDigits === 0) {
    out[k] = Number.NaN;
    return;
  }
    if (expNegative) exponent = -exponent;
  }
  const e = exponent - fractionDigits;
  if (!exact || e > 22 || e < -22) {
    out[k] = Number(latin1(text, start, end));
    return;
  }
  const magnitude = e >= 0 ? mantissa * POW10[e]! : mantissa / POW10[-e]!;
  out[k] = negative ? -magnitude : magnitude;
}
