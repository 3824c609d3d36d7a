import { z } from 'zod';
import type { Candles } from '../domain/candles.ts';
import { atrRange, newAtrState } from '../indicators/atr.ts';
import { ExtremeRangeState, rollingExtremeRange } from '../indicators/rolling-extreme.ts';
import { QuietMask } from './quiet-mask.ts';
import { RangeSeries } from './range-series.ts';
import { NO_INTENTS, type Intent, type StrategyDefinition, type StrategyInstance } from './strategy.ts';

const params = z
  .object({
    /** Donchian entry channel: highest high / lowest low of the previous `period` candles. */
    period: z.number().int().min(2).max(1000).default(20),
    /** Exit channel (the classic turtle exit is half the entry channel). */
    exitPeriod: z.number().int().min(1).max(1000).default(10),
    atrPeriod: z.number().int().min(1).max(1000).default(14),
    /** Stop-loss distance from the entry close, in ATRs. */
    atrMultiplier: z.number().positive().max(50).default(2),
  })
  .strict();

type Params = z.infer<typeof params>;

/**
 * Donchian channel breakout with an ATR stop (turtle-style). Flat: buy when the close breaks above
 * the highest high of the previous `period` candles (the current candle is not part of its own
 * channel), with a stop-loss `atrMultiplier` × ATR(atrPeriod) below the close; when shorting is
 * allowed, sell short on a close below the lowest low, stop above. Long: exit on a close below the
 * lowest low of the previous `exitPeriod` candles; short: on a close above their highest high.
 */
export const breakout: StrategyDefinition<Params> = {
  name: 'breakout',
  description: 'Donchian N-bar breakout with an ATR stop-loss and a shorter exit channel',
  params: params as unknown as z.ZodType<Params>,
  warmup: (p) => Math.max(p.period, p.exitPeriod, p.atrPeriod) + 1,
  create(p): StrategyInstance {
    // onCandle compares with the channels of the row before: every series carries one row (one base for all).
    const same = p.exitPeriod === p.period;
    const hhS = new RangeSeries(1);
    const llS = new RangeSeries(1);
    const exitHhS = same ? hhS : new RangeSeries(1);
    const exitLlS = same ? llS : new RangeSeries(1);
    const rangeS = new RangeSeries(1);
    let states = newStates(p);
    let hh: Float64Array = new Float64Array(0);
    let ll: Float64Array = new Float64Array(0);
    let exitHh: Float64Array = new Float64Array(0);
    let exitLl: Float64Array = new Float64Array(0);
    let range: Float64Array = new Float64Array(0);
    let base = 0;
    let close: Float64Array = new Float64Array(0);
    const quiet = new QuietMask();
    const exitLong: readonly Intent[] = [{ kind: 'exit', reason: 'channel exit' }];
    const exitShort: readonly Intent[] = [{ kind: 'exit', reason: 'channel exit' }];
    const prepareRange = (c: Candles, from: number, to: number, keep: boolean): void => {
      if (from === 0) states = newStates(p);
      close = c.close;
      quiet.range(from, to);
      for (const s of same ? [hhS, llS, rangeS] : [hhS, llS, exitHhS, exitLlS, rangeS]) s.begin(from, to, c.length, keep);
      hh = hhS.values;
      ll = llS.values;
      exitHh = exitHhS.values;
      exitLl = exitLlS.values;
      range = rangeS.values;
      base = hhS.base;
      rollingExtremeRange(c.high, p.period, true, from, to, states.hh, hh, base);
      rollingExtremeRange(c.low, p.period, false, from, to, states.ll, ll, base);
      if (!same) {
        rollingExtremeRange(c.high, p.exitPeriod, true, from, to, states.exitHh, exitHh, base);
        rollingExtremeRange(c.low, p.exitPeriod, false, from, to, states.exitLl, exitLl, base);
      }
      atrRange(c.high, c.low, c.close, p.atrPeriod, from, to, states.atr, range, base);
    };
    return {
      prepare: (c: Candles) => prepareRange(c, 0, c.length, true),
      prepareRange,
      // onCandle answers only when the close breaks a channel of the row before — the entry channel
      // when flat, the exit channel in a position: a row that breaks neither is quiet, whatever the position.
      quietRows: () => {
        const m = quiet.rows();
        for (let i = quiet.from; i < quiet.to; i++) {
          const k = i - base;
          const px = close[i]!;
          m[i - quiet.from] = i >= 1 && (px > hh[k - 1]! || px < ll[k - 1]! || px < exitLl[k - 1]! || px > exitHh[k - 1]!) ? 0 : 1;
        }
        return m;
      },
      // The entry channel a close must break is the previous candle's: drawn one candle later.
      indicators: () => {
        const high = hhS.series();
        const low = llS.series();
        if (!high || !low) return [];
        return [
          { name: `channel high ${p.period}`, pane: 'price', values: shiftOne(high) },
          { name: `channel low ${p.period}`, pane: 'price', values: shiftOne(low) },
        ];
      },
      onCandle({ i, position, allowShort }) {
        if (i < 1) return NO_INTENTS;
        const k = i - base;
        const px = close[i]!;
        if (!position) {
          const a = range[k]!;
          if (a !== a) return NO_INTENTS;
          if (px > hh[k - 1]!) return [{ kind: 'enter', side: 'long', stopLoss: px - p.atrMultiplier * a, reason: 'donchian breakout up' }];
          if (allowShort && px < ll[k - 1]!) return [{ kind: 'enter', side: 'short', stopLoss: px + p.atrMultiplier * a, reason: 'donchian breakout down' }];
          return NO_INTENTS;
        }
        if (position.side === 'long') return px < exitLl[k - 1]! ? exitLong : NO_INTENTS;
        return px > exitHh[k - 1]! ? exitShort : NO_INTENTS;
      },
    };
  },
};

/** The carried state of every series, fresh for row 0. */
function newStates(p: Params) {
  return {
    hh: new ExtremeRangeState(p.period),
    ll: new ExtremeRangeState(p.period),
    exitHh: new ExtremeRangeState(p.exitPeriod),
    exitLl: new ExtremeRangeState(p.exitPeriod),
    atr: newAtrState(),
  };
}

/** `v` moved one candle later (NaN first): the level a candle is compared with. */
function shiftOne(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  if (v.length === 0) return out;
  out[0] = NaN;
  out.set(v.subarray(0, v.length - 1), 1);
  return out;
}
