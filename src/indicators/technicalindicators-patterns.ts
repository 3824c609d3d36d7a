/**
 * Candlestick patterns from technicalindicators as a bar-aligned series. The package only answers
 * "does the pattern end on the LAST candle of the data I give you?" (`hasPattern`); its
 * `getAllPatternIndex` loses a match at index 0 (it filters indices by truthiness), so we ask
 * bar by bar with a window of exactly the candles the pattern needs. O(len) calls with small
 * allocations: fine for signals on a few thousand bars, not for a hot loop over millions.
 */
import * as ti from 'technicalindicators';
import type { Candles } from '../domain/candles.ts';
import { toPlainArray } from './technicalindicators-io.ts';
import { nanArray } from './validate.ts';

interface PatternWindow {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
}
type PatternFn = (data: PatternWindow) => unknown;

/**
 * Pattern name → candles it needs (each finder's `requiredCount` in technicalindicators 3.1.0;
 * `bullish`/`bearish` run every bullish/bearish finder, the longest of which needs 5).
 */
export const CANDLESTICK_PATTERNS = {
  bullish: 5,
  bearish: 5,
  abandonedbaby: 3,
  doji: 1,
  dragonflydoji: 1,
  gravestonedoji: 1,
  bullishengulfingpattern: 2,
  bearishengulfingpattern: 2,
  darkcloudcover: 2,
  piercingline: 2,
  downsidetasukigap: 3,
  bullishharami: 2,
  bearishharami: 2,
  bullishharamicross: 2,
  bearishharamicross: 2,
  eveningdojistar: 3,
  eveningstar: 3,
  morningdojistar: 3,
  morningstar: 3,
  bullishmarubozu: 1,
  bearishmarubozu: 1,
  bullishspinningtop: 1,
  bearishspinningtop: 1,
  threeblackcrows: 3,
  threewhitesoldiers: 3,
  bullishhammerstick: 1,
  bearishhammerstick: 1,
  bullishinvertedhammerstick: 1,
  bearishinvertedhammerstick: 1,
  hammerpattern: 5,
  hammerpatternunconfirmed: 5,
  hangingman: 5,
  hangingmanunconfirmed: 5,
  shootingstar: 5,
  shootingstarunconfirmed: 5,
  tweezertop: 5,
  tweezerbottom: 5,
} as const;

export type CandlestickPattern = keyof typeof CANDLESTICK_PATTERNS;

/**
 * 1 where `pattern` completes on that bar, 0 where it does not, NaN for the first
 * (candles needed − 1) bars. Throws a RangeError on an unknown pattern or a NaN field.
 */
export function tiCandlestickPattern(pattern: CandlestickPattern, candles: Candles): Float64Array<ArrayBuffer> {
  const need: number | undefined = CANDLESTICK_PATTERNS[pattern];
  const fn = (ti as unknown as Record<string, PatternFn | undefined>)[pattern];
  if (need === undefined || typeof fn !== 'function') {
    throw new RangeError(`tiCandlestickPattern: unknown pattern ${String(pattern)}`);
  }
  const len = candles.length;
  const name = `tiCandlestickPattern(${pattern})`;
  const open = toPlainArray(name, 'open', candles.open.subarray(0, len));
  const high = toPlainArray(name, 'high', candles.high.subarray(0, len));
  const low = toPlainArray(name, 'low', candles.low.subarray(0, len));
  const close = toPlainArray(name, 'close', candles.close.subarray(0, len));
  const out = nanArray(len);
  for (let i = need - 1; i < len; i++) {
    const from = i - need + 1;
    const to = i + 1;
    const hit = fn({ open: open.slice(from, to), high: high.slice(from, to), low: low.slice(from, to), close: close.slice(from, to) });
    out[i] = hit ? 1 : 0;
  }
  return out;
}
