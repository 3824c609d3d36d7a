/**
 * Argument checks (and the NaN-filled allocation) shared by every kernel. A bad period is a
 * programming error in a strategy or a config that slipped through validation, so it throws a
 * RangeError naming the indicator and the parameter instead of quietly returning an all-NaN series
 * that would look like a long warm-up.
 */

/** Throws a RangeError unless `value` is a positive safe integer. */
export function checkPeriod(indicator: string, param: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${indicator}: ${param} must be a positive integer, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is a finite number (band multipliers and the like). */
export function checkFinite(indicator: string, param: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${indicator}: ${param} must be a finite number, got ${String(value)}`);
  }
}

/** Throws a RangeError unless every series has the same length as the first; returns that length. */
export function checkSameLength(indicator: string, series: Readonly<Record<string, Float64Array>>): number {
  let first: string | undefined;
  let length = 0;
  for (const name of Object.keys(series)) {
    const len = series[name]!.length;
    if (first === undefined) {
      first = name;
      length = len;
    } else if (len !== length) {
      throw new RangeError(`${indicator}: ${name} has ${len} values but ${first} has ${length}`);
    }
  }
  return length;
}

/** A fresh Float64Array of `length` NaNs (the default for every warm-up slot). */
export function nanArray(length: number): Float64Array<ArrayBuffer> {
  return new Float64Array(length).fill(Number.NaN);
}
