import { createHash } from 'node:crypto';
import { allocCandles, CANDLE_FIELDS, type Candles } from '../../domain/candles.ts';

/** Candles as bytes: the six columns one after another, float64 little-endian (exact, compact). */
export function encodeCandles(c: Candles): Uint8Array {
  const n = c.length;
  const out = new Uint8Array(n * 8 * CANDLE_FIELDS.length);
  const view = new DataView(out.buffer);
  CANDLE_FIELDS.forEach((f, k) => {
    const col = c[f];
    for (let i = 0; i < n; i++) view.setFloat64((k * n + i) * 8, col[i]!, true);
  });
  return out;
}

/** The inverse of encodeCandles; throws on a byte count that is not six whole columns. */
export function decodeCandles(bytes: Uint8Array): Candles {
  const width = 8 * CANDLE_FIELDS.length;
  if (bytes.byteLength % width !== 0) throw new Error(`candle dataset of ${bytes.byteLength} bytes is not whole candles`);
  const n = bytes.byteLength / width;
  const c = allocCandles(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  CANDLE_FIELDS.forEach((f, k) => {
    const col = c[f];
    for (let i = 0; i < n; i++) col[i] = view.getFloat64((k * n + i) * 8, true);
  });
  return c;
}

/** The id of encoded candles: `sha256:<hex>` of the bytes. */
export function datasetId(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
