/**
 * Bridges between text and bytes for the candle parsers, whose number and date scanners work on
 * bytes (a CSV file is parsed without decoding it to a string).
 */

let scratch = new Uint8Array(64);

/**
 * Copy `text[start, end)` into a reused byte buffer, one byte per UTF-16 unit (characters above 0x7f
 * become 0xff, which no scanner accepts). Returns the buffer; the copy is `[0, end - start)`.
 * Valid until the next call — callers parse it at once.
 */
export function asciiScratch(text: string, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(start + i);
    scratch[i] = c < 0x80 ? c : 0xff;
  }
  return scratch;
}

/** `bytes[start, end)` as a string of single-byte characters (only for ASCII ranges: numbers, dates). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const DECODER = new TextDecoder('utf-8');
const ENCODER = new TextEncoder();

/** UTF-8 `bytes[start, end)` as text (header lines and error messages, never the per-row path). */
export function utf8(bytes: Uint8Array, start: number, end: number): string {
  return DECODER.decode(bytes.subarray(start, end));
}

export function utf8Bytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}
