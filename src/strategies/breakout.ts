import { z } from 'zod';
import type { Candles } from '../domain/candles.ts';
import { atr, highest, lowest } from '../indicators/index.ts';
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
    let hh = new Float64Array(0);
    let ll = new Float64Array(0);
    let exitHh = new Float64Array(0);
    let exitLl = new Float64Array(0);
    let range = new Float64Array(0);
    let close: Float64Array = new Float64Array(0);
    const exitLong: readonly Intent[] = [{ kind: 'exit', reason: 'channel exit' }];
    const exitShort: readonly Intent[] = [{ kind: 'exit', reason: 'channel exit' }];
    return {
      prepare(c: Candles) {
        close = c.close;
        hh = highest(c.high, p.period);
        ll = lowest(c.low, p.period);
        exitHh = p.exitPeriod === p.period ? hh : highest(c.high, p.exitPeriod);
        exitLl = p.exitPeriod === p.period ? ll : lowest(c.low, p.exitPeriod);
        range = atr(c.high, c.low, c.close, p.atrPeriod);
      },
      // The entry channel a close must break is the previous candle's: drawn one candle later.
      indicators: () => [
        { name: `channel high ${p.period}`, pane: 'price', values: shiftOne(hh) },
        { name: `channel low ${p.period}`, pane: 'price', values: shiftOne(ll) },
      ],
      onCandle({ i, position, allowShort }) {
        if (i < 1) return NO_INTENTS;
        const px = close[i]!;
        if (!position) {
          const a = range[i]!;
          if (a !== a) return NO_INTENTS;
          if (px > hh[i - 1]!) return [{ kind: 'enter', side: 'long', stopLoss: px - p.atrMultiplier * a, reason: 'donchian breakout up' }];
          if (allowShort && px < ll[i - 1]!) return [{ kind: 'enter', side: 'short', stopLoss: px + p.atrMultiplier * a, reason: 'donchian breakout down' }];
          return NO_INTENTS;
        }
        if (position.side === 'long') return px < exitLl[i - 1]! ? exitLong : NO_INTENTS;
        return px > exitHh[i - 1]! ? exitShort : NO_INTENTS;
      },
    };
  },
};

/** `v` moved one candle later (NaN first): the level a candle is compared with. */
function shiftOne(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  if (v.length === 0) return out;
  out[0] = NaN;
  out.set(v.subarray(0, v.length - 1), 1);
  return out;
}
