import { z } from 'zod';
import type { Candles } from '../domain/candles.ts';
import { newRsiState, rsiRange } from '../indicators/rsi.ts';
import { newWindowState, rollingBandsRange } from '../indicators/rolling-moments.ts';
import { rsiBandsRange } from '../indicators/rsi-bands.ts';
import { QuietMask } from './quiet-mask.ts';
import { RangeSeries } from './range-series.ts';
import { NO_INTENTS, type Intent, type StrategyDefinition, type StrategyInstance } from './strategy.ts';

const params = z
  .object({
    rsiPeriod: z.number().int().min(2).max(500).default(14),
    oversold: z.number().min(0).max(100).default(30),
    overbought: z.number().min(0).max(100).default(70),
    /** Also require the close beyond the Bollinger band (below the lower one to buy). */
    bands: z.boolean().default(false),
    bbPeriod: z.number().int().min(2).max(1000).default(20),
    bbStdDev: z.number().positive().max(10).default(2),
    /** Stop-loss / take-profit distance from the entry close in % (0 = none). */
    stopLossPct: z.number().min(0).max(100).default(0),
    takeProfitPct: z.number().min(0).max(1000).default(0),
  })
  .strict()
  .refine((p) => p.oversold < p.overbought, { message: 'oversold must be below overbought', path: ['oversold'] });

type Params = z.infer<typeof params>;

/**
 * Mean reversion on RSI (Wilder, TA-Lib convention). Flat: buy when RSI < oversold (and, with
 * `bands`, the close is below the lower Bollinger band); when shorting is allowed, sell short when
 * RSI > overbought (and the close is above the upper band). Long: exit when RSI > overbought. Short:
 * exit when RSI < oversold. Optional stop-loss / take-profit in % of the entry close.
 */
export const rsiBb: StrategyDefinition<Params> = {
  name: 'rsi-bb',
  description: 'RSI mean reversion: buy oversold (optionally below the lower Bollinger band), sell overbought',
  params: params as unknown as z.ZodType<Params>,
  warmup: (p) => Math.max(p.rsiPeriod + 1, p.bands ? p.bbPeriod : 0),
  create(p): StrategyInstance {
    // Every series has the same rows (lookback 0): one base for all three.
    const rs = new RangeSeries();
    const lowerS = new RangeSeries();
    const upperS = new RangeSeries();
    let rsiState = newRsiState();
    let bandState = newWindowState();
    let r: Float64Array = new Float64Array(0);
    let lower: Float64Array | undefined;
    let upper: Float64Array | undefined;
    let base = 0;
    let close: Float64Array = new Float64Array(0);
    // The quiet rows' mask: written by the one-pass kernel itself when that ran (`quietDone`).
    const quiet = new QuietMask();
    let quietDone = false;
    const protect = p.stopLossPct > 0 || p.takeProfitPct > 0;
    // The shared empty answer in this closure's own scope: read from the module on every candle, it
    // is a walk up the scope chain to the imported binding (four dependent loads) before the step
    // can see that nothing was asked.
    const none = NO_INTENTS;
    // Frozen like NO_INTENTS: every answer then has the same array map, and the step's length test
    // on it is one map check instead of two.
    const enterLong: readonly Intent[] = Object.freeze([{ kind: 'enter', side: 'long', reason: 'rsi oversold' }]);
    const enterShort: readonly Intent[] = Object.freeze([{ kind: 'enter', side: 'short', reason: 'rsi overbought' }]);
    const exitLong: readonly Intent[] = Object.freeze([{ kind: 'exit', reason: 'rsi overbought' }]);
    const exitShort: readonly Intent[] = Object.freeze([{ kind: 'exit', reason: 'rsi oversold' }]);
    // Entries with protection carry prices, so they are built per entry (rare), never per candle.
    const entry = (side: 'long' | 'short', px: number): readonly Intent[] => {
      if (!protect) return side === 'long' ? enterLong : enterShort;
      const dir = side === 'long' ? 1 : -1;
      return [
        {
          kind: 'enter',
          side,
          reason: side === 'long' ? 'rsi oversold' : 'rsi overbought',
          stopLoss: p.stopLossPct > 0 ? px * (1 - (dir * p.stopLossPct) / 100) : undefined,
          takeProfit: p.takeProfitPct > 0 ? px * (1 + (dir * p.takeProfitPct) / 100) : undefined,
        },
      ];
    };
    const prepareRange = (c: Candles, from: number, to: number, keep: boolean): void => {
      if (from === 0) {
        rsiState = newRsiState();
        bandState = newWindowState();
      }
      close = c.close;
      quiet.range(from, to);
      quietDone = false;
      rs.begin(from, to, c.length, keep);
      r = rs.values;
      base = rs.base;
      if (!p.bands) {
        rsiRange(c.close, p.rsiPeriod, from, to, rsiState, r, base);
        return;
      }
      lowerS.begin(from, to, c.length, keep);
      upperS.begin(from, to, c.length, keep);
      lower = lowerS.values;
      upper = upperS.values;
      if (keep) {
        // A chart shows every value: the general kernels.
        rsiRange(c.close, p.rsiPeriod, from, to, rsiState, r, base);
        rollingBandsRange(c.close, p.bbPeriod, p.bbStdDev, from, to, bandState, upper, lower, base);
      } else {
        // One pass; the bands only where onCandle reads them (RSI past oversold or overbought), and
        // the quiet rows (RSI between the two, or NaN) marked on the way. Not kept, the series start
        // at this range (base = from), so the mask's `i − base` is quietRows' `i − from`.
        rsiBandsRange(c.close, p.rsiPeriod, p.bbPeriod, p.bbStdDev, p.oversold, p.overbought, from, to, rsiState, bandState, r, upper, lower, base, quiet.rows());
        quietDone = true;
      }
    };
    return {
      prepare: (c: Candles) => prepareRange(c, 0, c.length, true),
      prepareRange,
      // onCandle answers only when RSI is below oversold or above overbought (whatever the position:
      // an entry needs one of the two, a long's exit the second, a short's the first); a row with RSI
      // between the two, or NaN, is quiet.
      quietRows: () => {
        const m = quiet.rows();
        if (quietDone) return m;
        const lo = p.oversold;
        const hi = p.overbought;
        for (let i = quiet.from; i < quiet.to; i++) {
          const v = r[i - base]!;
          m[i - quiet.from] = v < lo || v > hi ? 0 : 1;
        }
        return m;
      },
      indicators: () => {
        const rsiValues = rs.series();
        if (!rsiValues) return [];
        const lo = lowerS.series();
        const up = upperS.series();
        return [
          ...(lo && up
            ? [
                { name: `BB upper ${p.bbPeriod}`, pane: 'price' as const, values: up },
                { name: `BB lower ${p.bbPeriod}`, pane: 'price' as const, values: lo },
              ]
            : []),
          { name: `RSI ${p.rsiPeriod}`, pane: 'oscillator' as const, values: rsiValues },
        ];
      },
      onCandle({ i, position, allowShort }) {
        const k = i - base;
        const v = r[k]!;
        if (v !== v) return none;
        // Comparisons with undefined rather than truthiness: the step hands a snapshot object or
        // undefined, and `!x` on a value V8 has not seen only as an object is a test of every kind of falsy value.
        if (position === undefined) {
          if (v < p.oversold && (lower === undefined || close[i]! < lower[k]!)) return entry('long', close[i]!);
          if (allowShort && v > p.overbought && (upper === undefined || close[i]! > upper[k]!)) return entry('short', close[i]!);
          return none;
        }
        if (position.side === 'long') return v > p.overbought ? exitLong : none;
        return v < p.oversold ? exitShort : none;
      },
    };
  },
};
