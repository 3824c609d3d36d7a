/**
 * Adapter over the `technicalindicators` npm package (CommonJS; v3.1.0) for the long tail we do not
 * implement ourselves: stochastic, stochastic RSI, ADX, OBV, ADL, MFI, CCI, Williams %R, PSAR, WMA
 * and the candlestick patterns (technicalindicators-patterns.ts). sma/ema/rsi/bollinger/macd are
 * wrapped too, only so that tests and the benchmark can compare the package with our kernels —
 * strategies should use the kernels in this folder.
 *
 * Every function takes Float64Arrays and returns Float64Arrays of the input length: the package
 * returns only the bars after its warm-up, so its output is aligned from the END and padded with
 * NaN at the front. The package cannot recover from a NaN (a running sum stays NaN forever), so a
 * NaN input throws a RangeError here: fill or split gaps first.
 *
 * Known defects of technicalindicators 3.1.0 (also in docs/indicators.md):
 * - RSI is rounded to 2 decimals (`toFixed(2)`), and is 100 whenever the average loss is 0
 *   (TA-Lib: 0 for a flat window). Use `rsi` from this folder.
 * - BollingerBands (and SD) test the SMA for truthiness: a window whose mean is exactly 0 produces
 *   nothing. Before the first non-zero-mean window that bar is dropped (it becomes NaN after our
 *   padding); after it, the PREVIOUS window's bands are repeated (a stale value that looks valid).
 *   Only matters for zero-mean series (returns, oscillators), never for prices.
 * - MACD seeds the fast EMA at index fast−1 (a plain EMA), TA-Lib re-seeds it at slow−1, so the
 *   values differ from TA-Lib's (and ours) during the first few dozen bars.
 * - Several warm-ups differ from TA-Lib (e.g. OBV starts at index 1, MFI one bar later); the
 *   padding keeps each output aligned to its bar, not to TA-Lib's lookback.
 * - The package reads a module-global `setConfig('precision')`; we pass an identity `format` so a
 *   stray global setting cannot round our results.
 */
import {
  adl,
  adx,
  bollingerbands,
  cci,
  ema as tiEmaFn,
  macd as tiMacdFn,
  mfi,
  obv,
  psar,
  rsi as tiRsiFn,
  sma as tiSmaFn,
  stochastic,
  stochasticrsi,
  williamsr,
  wma,
} from 'technicalindicators';
import type { Bands } from './bollinger.ts';
import type { Macd } from './macd.ts';
import { padFront, plainInputs, toPlainArray } from './technicalindicators-io.ts';
import { checkFinite, checkPeriod } from './validate.ts';

type Series = Float64Array<ArrayBuffer>;

const identity = (v: number): number => v;

function padField<T>(records: readonly T[], length: number, pick: (r: T) => number | undefined): Series {
  return padFront(records.map(pick), length);
}

/** technicalindicators SMA. */
export function tiSma(x: Float64Array, n: number): Series {
  checkPeriod('tiSma', 'n', n);
  return padFront(tiSmaFn({ period: n, values: toPlainArray('tiSma', 'x', x), format: identity }), x.length);
}

/** technicalindicators EMA (seeded with the SMA of the first n values, like TA-Lib). */
export function tiEma(x: Float64Array, n: number): Series {
  checkPeriod('tiEma', 'n', n);
  return padFront(tiEmaFn({ period: n, values: toPlainArray('tiEma', 'x', x), format: identity }), x.length);
}

/** technicalindicators RSI — ROUNDED TO 2 DECIMALS by the package (defect, see above). */
export function tiRsi(close: Float64Array, n: number): Series {
  checkPeriod('tiRsi', 'n', n);
  return padFront(tiRsiFn({ period: n, values: toPlainArray('tiRsi', 'close', close), format: identity }), close.length);
}

/** technicalindicators BollingerBands — stale or missing bands where the window mean is 0 (defect). */
export function tiBollinger(close: Float64Array, n: number, k: number): Bands<Series> {
  checkPeriod('tiBollinger', 'n', n);
  checkFinite('tiBollinger', 'k', k);
  const rows = bollingerbands({ period: n, stdDev: k, values: toPlainArray('tiBollinger', 'close', close), format: identity });
  const len = close.length;
  return {
    upper: padField(rows, len, (r) => r.upper),
    middle: padField(rows, len, (r) => r.middle),
    lower: padField(rows, len, (r) => r.lower),
  };
}

/** technicalindicators MACD with EMA oscillator and EMA signal (fast EMA seeded at fast−1). */
export function tiMacd(close: Float64Array, fast: number, slow: number, signal: number): Macd<Series> {
  checkPeriod('tiMacd', 'fast', fast);
  checkPeriod('tiMacd', 'slow', slow);
  checkPeriod('tiMacd', 'signal', signal);
  const rows = tiMacdFn({
    values: toPlainArray('tiMacd', 'close', close),
    fastPeriod: fast,
    slowPeriod: slow,
    signalPeriod: signal,
    SimpleMAOscillator: false,
    SimpleMASignal: false,
    format: identity,
  });
  const len = close.length;
  return {
    macd: padField(rows, len, (r) => r.MACD),
    signal: padField(rows, len, (r) => r.signal),
    histogram: padField(rows, len, (r) => r.histogram),
  };
}

/** Full stochastic oscillator: %K over `period` bars, %D = SMA(signalPeriod) of %K. */
export function tiStochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  signalPeriod: number,
): { k: Series; d: Series } {
  checkPeriod('tiStochastic', 'period', period);
  checkPeriod('tiStochastic', 'signalPeriod', signalPeriod);
  const { len, input } = plainInputs('tiStochastic', { high, low, close });
  const rows = stochastic({
    ...input,
    period,
    signalPeriod,
    format: identity,
  });
  return { k: padField(rows, len, (r) => r.k), d: padField(rows, len, (r) => r.d) };
}

/** Stochastic RSI: stochastic of RSI(rsiPeriod) over stochasticPeriod, smoothed %K and %D. */
export function tiStochasticRsi(
  close: Float64Array,
  rsiPeriod: number,
  stochasticPeriod: number,
  kPeriod: number,
  dPeriod: number,
): { stochRsi: Series; k: Series; d: Series } {
  checkPeriod('tiStochasticRsi', 'rsiPeriod', rsiPeriod);
  checkPeriod('tiStochasticRsi', 'stochasticPeriod', stochasticPeriod);
  checkPeriod('tiStochasticRsi', 'kPeriod', kPeriod);
  checkPeriod('tiStochasticRsi', 'dPeriod', dPeriod);
  const rows = stochasticrsi({
    values: toPlainArray('tiStochasticRsi', 'close', close),
    rsiPeriod,
    stochasticPeriod,
    kPeriod,
    dPeriod,
    format: identity,
  });
  const len = close.length;
  return {
    stochRsi: padField(rows, len, (r) => r.stochRSI),
    k: padField(rows, len, (r) => r.k),
    d: padField(rows, len, (r) => r.d),
  };
}

/** Average directional index with +DI and −DI (Wilder). */
export function tiAdx(high: Float64Array, low: Float64Array, close: Float64Array, period: number): { adx: Series; pdi: Series; mdi: Series } {
  checkPeriod('tiAdx', 'period', period);
  const { len, input } = plainInputs('tiAdx', { high, low, close });
  const rows = adx({ ...input, period, format: identity });
  return { adx: padField(rows, len, (r) => r.adx), pdi: padField(rows, len, (r) => r.pdi), mdi: padField(rows, len, (r) => r.mdi) };
}

/** On-balance volume (starts at index 1 with ±volume[1]; TA-Lib starts at index 0 with volume[0]). */
export function tiObv(close: Float64Array, volume: Float64Array): Series {
  const { len, input } = plainInputs('tiObv', { close, volume });
  const rows = obv({ ...input, format: identity });
  return padFront(rows, len);
}

/** Accumulation/distribution line. */
export function tiAdl(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array): Series {
  const { len, input } = plainInputs('tiAdl', { high, low, close, volume });
  const rows = adl({ ...input, format: identity });
  return padFront(rows, len);
}

/** Money flow index over `period` bars. */
export function tiMfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, period: number): Series {
  checkPeriod('tiMfi', 'period', period);
  const { len, input } = plainInputs('tiMfi', { high, low, close, volume });
  const rows = mfi({ ...input, period, format: identity });
  return padFront(rows, len);
}

/** Commodity channel index over `period` bars. */
export function tiCci(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Series {
  checkPeriod('tiCci', 'period', period);
  const { len, input } = plainInputs('tiCci', { high, low, close });
  const rows = cci({ ...input, period, format: identity });
  return padFront(rows, len);
}

/** Williams %R over `period` bars (−100 … 0). */
export function tiWilliamsR(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Series {
  checkPeriod('tiWilliamsR', 'period', period);
  const { len, input } = plainInputs('tiWilliamsR', { high, low, close });
  const rows = williamsr({ ...input, period, format: identity });
  return padFront(rows, len);
}

/** Parabolic SAR with acceleration `step` and cap `max` (e.g. 0.02 and 0.2). */
export function tiPsar(high: Float64Array, low: Float64Array, step: number, max: number): Series {
  checkFinite('tiPsar', 'step', step);
  checkFinite('tiPsar', 'max', max);
  const { len, input } = plainInputs('tiPsar', { high, low });
  const rows = psar({ ...input, step, max, format: identity });
  return padFront(rows, len);
}

/** Linearly weighted moving average over n values. */
export function tiWma(x: Float64Array, n: number): Series {
  checkPeriod('tiWma', 'n', n);
  return padFront(wma({ period: n, values: toPlainArray('tiWma', 'x', x), format: identity }), x.length);
}

export { padFront, toPlainArray } from './technicalindicators-io.ts';
export { tiCandlestickPattern, CANDLESTICK_PATTERNS, type CandlestickPattern } from './technicalindicators-patterns.ts';
