import { describe, expect, it } from 'vitest';
import { protectiveExit } from '../../../src/engine/trading-engine.ts';

describe('protectiveExit', () => {
  it('long: stop on the low, target on the high, stop first when a candle touches both', () => {
    expect(protectiveExit(1, 90, 120, 110, 95)).toBeUndefined();
    expect(protectiveExit(1, 90, 120, 110, 89)).toBe('stop-loss');
    expect(protectiveExit(1, 90, 120, 121, 95)).toBe('take-profit');
    expect(protectiveExit(1, 90, 120, 121, 89)).toBe('stop-loss');
  });
  it('short: stop on the high, target on the low', () => {
    expect(protectiveExit(-1, 110, 80, 111, 90)).toBe('stop-loss');
    expect(protectiveExit(-1, 110, 80, 100, 79)).toBe('take-profit');
    expect(protectiveExit(-1, undefined, undefined, 1e9, 0)).toBeUndefined();
  });
});
