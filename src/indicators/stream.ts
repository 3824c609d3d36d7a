/**
 * The streaming form every indicator offers for live ticks. `next` consumes one bar and returns the
 * value the batch kernel would have produced at that bar (same arithmetic, same order, so the results
 * are bit-identical); `value` is the last returned value (NaN, or an all-NaN record, before the
 * first bar). A NaN input resets the stream exactly as it resets the batch kernel (see
 * docs/indicators.md, "NaN input").
 */
export interface IndicatorStream<Args extends readonly number[], Out> {
  next(...args: Args): Out;
  readonly value: Out;
  /** Forget everything, as if freshly created. */
  reset(): void;
}

/** A stream over one input series (close, or any single column). */
export type SeriesStream = IndicatorStream<[value: number], number>;
