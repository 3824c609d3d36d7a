import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/index.ts';
import { loadStrategyCatalog, parseStrategyParams } from '../../../src/strategies/registry.ts';
import { bars } from '../backtest/scripted-strategy.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('strategy catalog', () => {
  it('lists the four built-ins', async () => {
    const c = await loadStrategyCatalog();
    expect(c.list().map((s) => s.name).sort()).toEqual(['breakout', 'composite', 'rsi-bb', 'sma-cross']);
    expect(() => c.get('nope')).toThrow(/unknown strategy "nope"; available: rsi-bb, sma-cross, breakout, composite/);
  });

  it('loads a strategy file from STRATEGIES_DIR by name, and it backtests like a built-in', async () => {
    const c = await loadStrategyCatalog(join(FIXTURES, 'good'));
    const def = c.get('three-up');
    expect(parseStrategyParams(def, {})).toEqual({ n: 3 });
    const candles = bars([
      [10, 10, 10, 10],
      [11, 11, 11, 11],
      [12, 12, 12, 12],
      [13, 13, 13, 13],
      [12, 12, 12, 12],
      [11, 11, 11, 11],
    ]);
    const r = runBacktest({ candles, strategy: def, fill: 'close' });
    expect(r.tradeList.map((t) => [t.entryIndex, t.exitIndex, t.entryReason, t.exitReason])).toEqual([[3, 4, '3 rising closes', 'falling close']]);
    expect(() => parseStrategyParams(def, { n: 0 })).toThrow(/invalid parameters for three-up: n/);
  });

  it('refuses a file that does not implement the API, saying what is missing', async () => {
    await expect(loadStrategyCatalog(join(FIXTURES, 'bad'))).rejects.toThrow(
      /half-done\.ts does not implement the strategy API: `params` must be a zod schema; `warmup\(params\)` must be a function; `create\(params\)` must be a function/,
    );
    await expect(loadStrategyCatalog(join(FIXTURES, 'missing-dir'))).rejects.toThrow(/STRATEGIES_DIR .* does not exist/);
  });
});
