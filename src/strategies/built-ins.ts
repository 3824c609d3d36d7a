import { breakout } from './breakout.ts';
import { composite } from './composite.ts';
import { rsiBb } from './rsi-bb.ts';
import { smaCross } from './sma-cross.ts';
import type { StrategyDefinition } from './strategy.ts';

/** Every built-in strategy, by name. Add one here when adding a file. */
export const BUILT_IN_STRATEGIES: readonly StrategyDefinition[] = [
  rsiBb as unknown as StrategyDefinition,
  smaCross as unknown as StrategyDefinition,
  breakout as unknown as StrategyDefinition,
  composite as unknown as StrategyDefinition,
];
