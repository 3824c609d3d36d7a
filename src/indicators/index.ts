/**
 * Indicator kernels: Float64Array in, Float64Array of the same length out, NaN during warm-up,
 * TA-Lib conventions. Each has a streaming twin (`create…Stream`) that is bit-identical to the
 * batch form. Conventions, warm-up lengths and the NaN policy: docs/indicators.md.
 */
export type { IndicatorStream, SeriesStream } from './stream.ts';
export { sma, createSmaStream } from './sma.ts';
export { ema, createEmaStream } from './ema.ts';
export { rsi, createRsiStream } from './rsi.ts';
export { bollinger, bollingerBands, createBollingerStream, type Bands } from './bollinger.ts';
export { atr, createAtrStream } from './atr.ts';
export { trueRange, createTrueRangeStream } from './true-range.ts';
export { macd, createMacdStream, type Macd } from './macd.ts';
export { stdev, createStdevStream } from './stdev.ts';
export { zscore, createZscoreStream } from './zscore.ts';
export { bbWidth, createBbWidthStream } from './bb-width.ts';
export { highest, createHighestStream } from './highest.ts';
export { lowest, createLowestStream } from './lowest.ts';
export { vwap, createVwapStream } from './vwap.ts';
export { sessionVwap, createSessionVwapStream, DAY_MS } from './session-vwap.ts';
export { roc, createRocStream } from './roc.ts';
export { momentum, createMomentumStream } from './momentum.ts';
