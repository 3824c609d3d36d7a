import type { StrategyDefinition } from './strategy.ts';
import { smaCross } from './sma-cross.ts';

/** Every built-in strategy, by name. Add one here when adding a file. */
export const BUILT_IN_STRATEGIES: readonly StrategyDefinition[] = [smaCross as unknown as StrategyDefinition];
