import { z } from 'zod';
import type { Candles } from '../domain/candles.ts';
import { bbWidthRange } from '../indicators/bb-width.ts';
import { laggedChangeRange } from '../indicators/lagged-change.ts';
import { newWindowState } from '../indicators/rolling-moments.ts';
import { newRsiState, rsiRange } from '../indicators/rsi.ts';
import { zscoreRange } from '../indicators/zscore.ts';
import { RangeSeries } from './range-series.ts';
import { NO_INTENTS, type Intent, type StrategyDefinition, type StrategyInstance } from './strategy.ts';

const params = z
  .object({
    rsiPeriod: z.number().int().min(2).max(500).default(14),
    bbPeriod: z.number().int().min(2).max(1000).default(20),
    bbStdDev: z.number().positive().max(10).default(2),
    /** Look-back of the momentum (rate of change) and of every z-score. */
    momentumPeriod: z.number().int().min(1).max(1000).default(10),
    zPeriod: z.number().int().min(2).max(5000).default(50),
    /** Factor weights; a weight of 0 switches a factor off. */
    wRsi: z.number().min(-10).max(10).default(1),
    wBbWidth: z.number().min(-10).max(10).default(0.5),
    wMomentum: z.number().min(-10).max(10).default(1),
    wVolume: z.number().min(-10).max(10).default(0.5),
    /** Weights of external factors by signal name (values arrive through the signal intake). */
    signals: z.record(z.string(), z.number().min(-10).max(10)).default({}),
    /** Enter long when the score is above `threshold` (short below −threshold, if allowed). */
    threshold: z.number().positive().max(100).default(1.5),
    /** Exit a long when the score falls below `exitThreshold` (a short when above −exitThreshold). */
    exitThreshold: z.number().min(-100).max(100).default(0),
  })
  .strict()
  .refine((p) => p.exitThreshold < p.threshold, { message: 'exitThreshold must be below threshold', path: ['exitThreshold'] });

type Params = z.infer<typeof params>;

/** Each factor is clipped to ±3 so one wild reading cannot decide alone. */
const CLIP = 3;
const clip = (x: number) => (x > CLIP ? CLIP : x < -CLIP ? -CLIP : x);

/**
 * A weighted score of normalised factors, positive = bullish:
 * - rsi: (50 − RSI) / 10 — oversold scores up (mean reversion);
 * - bbWidth: −z-score of the Bollinger band width — a squeeze (narrow bands) scores up;
 * - momentum: z-score of the rate of change over `momentumPeriod`;
 * - volume: z-score of volume, signed by the candle's direction (buying pressure scores up);
 * - external: each signal named in `signals`, times its weight (missing signal = 0).
 * score = Σ weight × clip(factor, ±3). Flat: long above `threshold`, short below −threshold when
 * allowed. Long exits below `exitThreshold`; short exits above −exitThreshold.
 */
export const composite: StrategyDefinition<Params> = {
  name: 'composite',
  description: 'weighted factor score (RSI, band width, momentum, volume, external signals) with an entry threshold',
  params: params as unknown as z.ZodType<Params>,
  warmup: (p) => Math.max(p.rsiPeriod + 1, p.bbPeriod + p.zPeriod, p.momentumPeriod + p.zPeriod, p.zPeriod),
  create(p): StrategyInstance {
    // The factors' series share one base (onCandle reads row i only); the band width and the rate of
    // change are z-scored over the last zPeriod rows, so they carry that many rows across ranges.
    const rS = new RangeSeries();
    const widthZS = new RangeSeries();
    const momZS = new RangeSeries();
    const volZS = new RangeSeries();
    const widthS = new RangeSeries(p.zPeriod);
    const momS = new RangeSeries(p.zPeriod);
    let st = newStates();
    let scratchMean: Float64Array = new Float64Array(0);
    let scratchSd: Float64Array = new Float64Array(0);
    let r: Float64Array = new Float64Array(0);
    let widthZ: Float64Array = new Float64Array(0);
    let momZ: Float64Array = new Float64Array(0);
    let volZ: Float64Array = new Float64Array(0);
    let base = 0;
    let open: Float64Array = new Float64Array(0);
    let close: Float64Array = new Float64Array(0);
    const names = Object.keys(p.signals);
    const weights = names.map((n) => p.signals[n]!);
    const enterLong: readonly Intent[] = [{ kind: 'enter', side: 'long', reason: 'composite score high' }];
    const enterShort: readonly Intent[] = [{ kind: 'enter', side: 'short', reason: 'composite score low' }];
    const exitLong: readonly Intent[] = [{ kind: 'exit', reason: 'composite score faded' }];
    const exitShort: readonly Intent[] = [{ kind: 'exit', reason: 'composite score faded' }];
    const prepareRange = (c: Candles, from: number, to: number, keep: boolean): void => {
      if (from === 0) st = newStates();
      open = c.open;
      close = c.close;
      const total = c.length;
      if (scratchMean.length < to - from) {
        scratchMean = new Float64Array(to - from);
        scratchSd = new Float64Array(to - from);
      }
      if (p.wRsi !== 0) {
        rS.begin(from, to, total, keep);
        r = rS.values;
        base = rS.base;
        rsiRange(c.close, p.rsiPeriod, from, to, st.rsi, r, base);
      }
      // The z-score over the last zPeriod rows of `x` (row j at x[j − xBase]) into `out`.
      const zScored = (x: Float64Array, xBase: number, state: Float64Array, out: RangeSeries): Float64Array => {
        out.begin(from, to, total, keep);
        base = out.base;
        zscoreRange(x, xBase, p.zPeriod, from, to, state, out.values, base, scratchMean, scratchSd);
        return out.values;
      };
      if (p.wBbWidth !== 0) {
        widthS.begin(from, to, total, keep);
        bbWidthRange(c.close, p.bbPeriod, p.bbStdDev, from, to, st.width, widthS.values, widthS.base, scratchMean, scratchSd);
        widthZ = zScored(widthS.values, widthS.base, st.widthZ, widthZS);
      }
      if (p.wMomentum !== 0) {
        momS.begin(from, to, total, keep);
        laggedChangeRange(c.close, p.momentumPeriod, true, from, to, st.mom, momS.values, momS.base);
        momZ = zScored(momS.values, momS.base, st.momZ, momZS);
      }
      if (p.wVolume !== 0) volZ = zScored(c.volume, 0, st.volZ, volZS);
    };
    return {
      prepare: (c: Candles) => prepareRange(c, 0, c.length, true),
      prepareRange,
      onCandle({ i, position, allowShort, signals }) {
        const row = i - base;
        let score = 0;
        if (p.wRsi !== 0) score += p.wRsi * clip((50 - r[row]!) / 10);
        if (p.wBbWidth !== 0) score += p.wBbWidth * clip(-widthZ[row]!);
        if (p.wMomentum !== 0) score += p.wMomentum * clip(momZ[row]!);
        if (p.wVolume !== 0) {
          const dir = close[i]! > open[i]! ? 1 : close[i]! < open[i]! ? -1 : 0;
          score += p.wVolume * clip(dir * volZ[row]!);
        }
        for (let k = 0; k < names.length; k++) {
          const v = signals?.get(names[k]!);
          if (v !== undefined && v === v) score += weights[k]! * clip(v);
        }
        if (score !== score) return NO_INTENTS;
        if (!position) {
          if (score > p.threshold) return enterLong;
          if (allowShort && score < -p.threshold) return enterShort;
          return NO_INTENTS;
        }
        if (position.side === 'long') return score < p.exitThreshold ? exitLong : NO_INTENTS;
        return score > -p.exitThreshold ? exitShort : NO_INTENTS;
      },
    };
  },
};

/** The carried state of every factor's kernels, fresh for row 0. */
function newStates() {
  return { rsi: newRsiState(), width: newWindowState(), widthZ: newWindowState(), mom: new Float64Array(1), momZ: newWindowState(), volZ: newWindowState() };
}
