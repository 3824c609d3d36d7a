import type { PanicLevelName } from '../../domain/events.ts';

export type { PanicLevelName } from '../../domain/events.ts';

/** calm < 40 ≤ elevated < 60 ≤ high < 80 ≤ extreme. */
export function panicLevel(score: number): PanicLevelName {
  if (score >= 80) return 'extreme';
  if (score >= 60) return 'high';
  if (score >= 40) return 'elevated';
  return 'calm';
}

export const PANIC_LEVEL_RANK: Record<PanicLevelName, number> = { calm: 0, elevated: 1, high: 2, extreme: 3 };
