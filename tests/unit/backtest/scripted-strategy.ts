import type { Intent, StrategyInstance } from '../../../src/strategies/strategy.ts';
import { candlesFromRows, type Candles } from '../../../src/domain/candles.ts';

/** A strategy that emits fixed intents at fixed candle indices: hand-computed backtests need no indicators. */
export function scripted(script: Record<number, Intent[]>, warmup = 1): { instance: StrategyInstance; name: string; warmup: number } {
  return {
    name: 'scripted',
    warmup,
    instance: {
      prepare() {},
      onCandle: ({ i }) => script[i] ?? [],
    },
  };
}

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Candles from [open, high, low, close] rows, one per `stepMs` from T0, volume 1000. */
export function bars(rows: ReadonlyArray<readonly [number, number, number, number]>, stepMs = DAY, t0 = T0): Candles {
  return candlesFromRows(rows.map(([open, high, low, close], i) => ({ ts: t0 + i * stepMs, open, high, low, close, volume: 1000 })));
}
