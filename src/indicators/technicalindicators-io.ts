/**
 * Conversions at the technicalindicators boundary: our Float64Arrays to the plain arrays the
 * package wants, and its shorter outputs back to bar-aligned Float64Arrays.
 */
import { checkSameLength, nanArray } from './validate.ts';

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

/**
 * Several equal-length input series as the plain arrays technicalindicators wants, plus their length
 * (the length output is padded back to). Refuses unequal lengths and NaN like the single-series path.
 */
export function plainInputs<K extends string>(fn: string, series: Readonly<Record<K, Float64Array>>): { len: number; input: Record<K, number[]> } {
  const len = checkSameLength(fn, series);
  const input = {} as Record<K, number[]>;
  for (const key of Object.keys(series) as K[]) input[key] = toPlainArray(fn, key, series[key]);
  return { len, input };
}
