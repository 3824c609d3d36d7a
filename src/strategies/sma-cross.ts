import { z } from 'zod';
import { newWindowState, rollingMeanRange } from '../indicators/rolling-moments.ts';
import { QuietMask } from './quiet-mask.ts';
import { RangeSeries } from './range-series.ts';
import type { Candles } from '../domain/candles.ts';
import { NO_INTENTS, type Intent, type StrategyDefinition, type StrategyInstance } from './strategy.ts';

const params = z
  .object({
    fast: z.number().int().min(1).max(1000).default(10),
    slow: z.number().int().min(2).max(5000).default(30),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });

type Params = z.infer<typeof params>;

/**
 * Trend following on two simple moving averages. A cross is strict: previous fast < previous slow
 * and current fast > current slow (and the mirror for a cross down). Up-cross: close any short, go
 * long. Down-cross: close any long, go short when shorting is allowed, else stay flat.
 */
export const smaCross: StrategyDefinition<Params> = {
  name: 'sma-cross',
  description: 'fast/slow SMA crossover: long on a cross up, flat (or short) on a cross down',
  params: params as unknown as z.ZodType<Params>,
  warmup: (p) => p.slow + 1,
  create(p): StrategyInstance {
    // onCandle compares with the row before: each series carries one row across ranges.
    const fastS = new RangeSeries(1);
    const slowS = new RangeSeries(1);
    let fastState = newWindowState();
    let slowState = newWindowState();
    let fast: Float64Array = new Float64Array(0);
    let slow: Float64Array = new Float64Array(0);
    let base = 0;
    const quiet = new QuietMask();
    const enterLong: readonly Intent[] = [{ kind: 'enter', side: 'long', reason: 'sma cross up' }];
    const exitThenLong: readonly Intent[] = [{ kind: 'exit', reason: 'sma cross up' }, ...enterLong];
    const exitLong: readonly Intent[] = [{ kind: 'exit', reason: 'sma cross down' }];
    const enterShort: readonly Intent[] = [{ kind: 'enter', side: 'short', reason: 'sma cross down' }];
    const exitThenShort: readonly Intent[] = [...exitLong, ...enterShort];
    const prepareRange = (c: Candles, from: number, to: number, keep: boolean): void => {
      if (from === 0) {
        fastState = newWindowState();
        slowState = newWindowState();
      }
      fastS.begin(from, to, c.length, keep);
      slowS.begin(from, to, c.length, keep);
      quiet.range(from, to);
      fast = fastS.values;
      slow = slowS.values;
      base = fastS.base;
      rollingMeanRange(c.close, p.fast, from, to, fastState, fast, base);
      rollingMeanRange(c.close, p.slow, from, to, slowState, slow, base);
    };
    return {
      prepare: (c: Candles) => prepareRange(c, 0, c.length, true),
      prepareRange,
      // onCandle answers only on a cross (up or down, whatever the position): every other row is quiet.
      quietRows: () => {
        const m = quiet.rows();
        for (let i = quiet.from; i < quiet.to; i++) {
          const k = i - base;
          m[i - quiet.from] = i >= 1 && ((fast[k - 1]! < slow[k - 1]! && fast[k]! > slow[k]!) || (fast[k - 1]! > slow[k - 1]! && fast[k]! < slow[k]!)) ? 0 : 1;
        }
        return m;
      },
      indicators: () => {
        const f = fastS.series();
        const s = slowS.series();
        if (!f || !s) return [];
        return [
          { name: `SMA ${p.fast}`, pane: 'price', values: f },
          { name: `SMA ${p.slow}`, pane: 'price', values: s },
        ];
      },
      onCandle({ i, position, allowShort }) {
        if (i < 1) return NO_INTENTS;
        const k = i - base;
        const f0 = fast[k - 1]!, s0 = slow[k - 1]!, f1 = fast[k]!, s1 = slow[k]!;
        if (f0 < s0 && f1 > s1) {
          if (position?.side === 'long') return NO_INTENTS;
          return position?.side === 'short' ? exitThenLong : enterLong;
        }
        if (f0 > s0 && f1 < s1) {
          if (position?.side === 'long') return allowShort ? exitThenShort : exitLong;
          if (!position && allowShort) return enterShort;
        }
        return NO_INTENTS;
      },
    };
  },
};
