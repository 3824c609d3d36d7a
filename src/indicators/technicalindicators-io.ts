/**
 * Conversions at the technicalindicators boundary: our Float64Arrays to the plain arrays the
 * package wants, and its shorter outputs back to bar-aligned Float64Arrays.
 */
import { nanArray } from './validate.ts';

/** Copies a series into a plain array for the package; throws on NaN (see the module comment). */
export function toPlainArray(fn: string, name: string, x: Float64Array): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) throw new RangeError(`${fn}: ${name}[${i}] is NaN; technicalindicators cannot recover from NaN input`);
    out[i] = v;
  }
  return out;
}

/**
 * Aligns a shorter output to `length` bars from the end; missing leading bars and `undefined`
 * entries become NaN. Throws if the package returned more values than bars (a misuse).
 */
export function padFront(values: readonly (number | undefined)[], length: number): Float64Array<ArrayBuffer> {
  if (values.length > length) throw new RangeError(`padFront: ${values.length} values for ${length} bars`);
  const out = nanArray(length);
  const offset = length - values.length;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (v !== undefined) out[offset + j] = v;
  }
  return out;
}
