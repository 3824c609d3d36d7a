/**
 * Quiet rows (`StrategyInstance.quietRows`): the backtester passes over the rows a strategy marks
 * quiet without calling `onCandle`, and a run is the same bit for bit as one that calls it on every
 * row; an open position's stop-loss and take-profit are still checked on quiet rows. The masks of
 * rsi-bb, sma-cross and breakout mark only rows where they answer nothing, whatever the position;
 * composite, which reads the signals, marks none.
 */
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import { runBacktest } from '../../../src/backtest/index.ts';
import type { BacktestOptions, BacktestResult } from '../../../src/backtest/types.ts';
import type { Candles } from '../../../src/domain/candles.ts';
import { NO_PROTECTIONS } from '../../../src/risk/protections/protection.ts';
import { NO_LIMITS } from '../../../src/risk/risk-view.ts';
import { parseStrategyParams } from '../../../src/strategies/registry.ts';
import { BUILT_IN_STRATEGIES } from '../../../src/strategies/built-ins.ts';
import { rsiBb } from '../../../src/strategies/rsi-bb.ts';
import type { Intent, PositionSnapshot, StrategyContext, StrategyDefinition, StrategyInstance } from '../../../src/strategies/strategy.ts';
import { bars } from './scripted-strategy.ts';

const N = 6_000;
const candles = syntheticCandles(N, 7);
const def = rsiBb as unknown as StrategyDefinition;

const definition = (name: string) => BUILT_IN_STRATEGIES.find((d) => d.name === name) as StrategyDefinition;

/** A built-in with its mask (or without it), counting the calls of onCandle. */
function counted(raw: Record<string, unknown>, withMask: boolean, def: StrategyDefinition = definition('rsi-bb')): { strategy: { instance: StrategyInstance; name: string; warmup: number }; calls: () => number } {
  const params = parseStrategyParams(def, raw);
  const inst = def.create(params);
  let calls = 0;
  const instance: StrategyInstance = {
    prepare: (c) => inst.prepare(c),
    prepareRange: (c, from, to, keep) => inst.prepareRange!(c, from, to, keep),
    onCandle: (ctx) => {
      calls++;
      return inst.onCandle(ctx);
    },
    ...(withMask ? { quietRows: () => inst.quietRows!() } : {}),
  };
  return { strategy: { instance, name: def.name, warmup: def.warmup(params) }, calls: () => calls };
}

function comparable(r: BacktestResult) {
  const { elapsedMs, indicators, equity, ...rest } = r;
  void [elapsedMs, indicators];
  return { ...rest, equity: Array.from(equity, (x) => (Object.is(x, -0) ? '-0' : x)) };
}

/** `calls`: at most this share of the calls made without the mask. */
const CASES: Array<{ strategy?: string; params: Record<string, unknown>; options?: Partial<BacktestOptions>; calls: number }> = [
  { params: { rsiPeriod: 14, oversold: 30, overbought: 70, bands: true }, calls: 0.5 },
  { params: { rsiPeriod: 6, oversold: 35, overbought: 65 }, options: { allowShort: true, fee: '0.1%' }, calls: 0.6 },
  // With levels the step runs on every row in a position (the stop and target are checked): fewer calls only while flat.
  { params: { rsiPeriod: 9, oversold: 40, overbought: 60, bands: true, bbPeriod: 12, stopLossPct: 0.2, takeProfitPct: 0.3 }, options: { allowShort: true, chunkSize: 7 }, calls: 0.9 },
  { params: { rsiPeriod: 9, oversold: 35, overbought: 65, bands: true }, options: { fill: 'close', indicators: true, tradeFrom: 2_000 }, calls: 0.6 },
  { params: { rsiPeriod: 14, oversold: 30, overbought: 70 }, options: { sizing: 'kelly', risk: { limits: { ...NO_LIMITS, maxDrawdownPct: 5 }, protections: { ...NO_PROTECTIONS, cooldownMs: 3_600_000 } } }, calls: 0.5 },
  { strategy: 'sma-cross', params: { fast: 5, slow: 20 }, options: { allowShort: true }, calls: 0.3 },
  { strategy: 'sma-cross', params: { fast: 3, slow: 9 }, options: { fee: '0.1%', chunkSize: 7 }, calls: 0.4 },
  // Every entry carries an ATR stop: the step runs on every row in a position, fewer calls only while flat.
  { strategy: 'breakout', params: { period: 20, exitPeriod: 10, atrPeriod: 14 }, options: { allowShort: true }, calls: 0.95 },
  { strategy: 'breakout', params: { period: 30, exitPeriod: 30, atrPeriod: 7 }, options: { fill: 'close' }, calls: 0.95 },
];

describe('the backtester passes over quiet rows', () => {
  for (const c of CASES) {
    it(`${c.strategy ?? 'rsi-bb'} ${JSON.stringify(c.params)} ${JSON.stringify(c.options ?? {})}: the same run, with fewer calls`, () => {
      const a = counted(c.params, true, definition(c.strategy ?? 'rsi-bb'));
      const b = counted(c.params, false, definition(c.strategy ?? 'rsi-bb'));
      const base = { candles, symbol: 'BTC/USDT', timeframe: '1m', ...c.options } as const;
      const withMask = runBacktest({ ...base, strategy: a.strategy });
      const without = runBacktest({ ...base, strategy: b.strategy });
      expect(without.tradeList.length).toBeGreaterThan(5);
      expect(comparable(withMask)).toEqual(comparable(without));
      // Without the mask every row from the first decision on is a call; with it, a fraction.
      expect(b.calls()).toBeGreaterThan(N / 2);
      expect(a.calls()).toBeLessThan(b.calls() * c.calls);
    });
  }

  it('checks a stop-loss on a quiet row: the exit happens where it would without the mask', () => {
    // Enter on row 1 with a stop 5 % below; every later row is quiet; row 4 trades through the stop.
    const rows: Array<[number, number, number, number]> = [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [100, 101, 99, 100],
      [100, 101, 99, 100],
      [100, 100, 90, 92],
      [92, 93, 91, 92],
      [92, 93, 91, 92],
    ];
    const make = (withMask: boolean) => {
      let calls = 0;
      const instance: StrategyInstance = {
        prepare() {},
        prepareRange() {},
        onCandle: ({ i, position }): readonly Intent[] => {
          calls++;
          return i === 1 && position === undefined ? [{ kind: 'enter', side: 'long', stopLoss: 95, reason: 'scripted' }] : [];
        },
        ...(withMask ? { quietRows: () => Uint8Array.from(rows, (_, i) => (i === 1 ? 0 : 1)) } : {}),
      };
      return { strategy: { instance, name: 'scripted', warmup: 1 }, calls: () => calls };
    };
    const a = make(true);
    const b = make(false);
    const withMask = runBacktest({ candles: bars(rows), strategy: a.strategy });
    const without = runBacktest({ candles: bars(rows), strategy: b.strategy });
    expect(withMask.tradeList.map((t) => [t.entryIndex, t.exitIndex, t.exitReason])).toEqual([[2, 5, 'stop-loss']]);
    expect(comparable(withMask)).toEqual(comparable(without));
    // Called on row 1 (not quiet) and on the rows in the position, whose stop is checked (2, 3, 4); not on 0, 5 or 6.
    expect(a.calls()).toBe(4);
    expect(b.calls()).toBe(rows.length);
  });
});

describe('the built-ins mark only rows where they answer nothing', () => {
  const positions: Array<PositionSnapshot | undefined> = [
    undefined,
    { side: 'long', quantity: 1, entryPrice: 100, openedAt: 0 },
    { side: 'short', quantity: -1, entryPrice: 100, openedAt: 0 },
  ];
  const check = (def: StrategyDefinition, raw: Record<string, unknown>, chunk: number, keep: boolean, share: number) => {
    const inst = def.create(parseStrategyParams(def, raw));
    let quiet = 0;
    let acting = 0;
    for (let from = 0; from < N; from += chunk) {
      const to = Math.min(N, from + chunk);
      inst.prepareRange!(candles, from, to, keep);
      const mask = inst.quietRows!()!;
      for (let i = from; i < to; i++) {
        const answers = positions.flatMap((position) => [true, false].map((allowShort) => inst.onCandle(ctxAt(candles, i, position, allowShort))?.length ?? 0));
        const any = answers.some((k) => k > 0);
        if (mask[i - from] === 1) {
          quiet++;
          expect(any, `row ${i} is marked quiet but onCandle answers`).toBe(false);
        } else if (mask[i - from] === 0) {
          if (any) acting++;
        } else throw new Error(`row ${i}: mask value ${mask[i - from]}`);
      }
    }
    // Most rows are quiet, and the rows that answer are all among the others.
    expect(quiet).toBeGreaterThan(N * share);
    expect(acting).toBeGreaterThan(10);
  };
  for (const [name, raw, chunk, keep, share] of [
    ['rsi-bb', { rsiPeriod: 14, oversold: 30, overbought: 70, bands: true }, 4096, false, 0.7],
    ['rsi-bb', { rsiPeriod: 14, oversold: 30, overbought: 70, bands: true }, 13, true, 0.7],
    ['rsi-bb', { rsiPeriod: 5, oversold: 25, overbought: 75 }, 1000, false, 0.5],
    ['rsi-bb', { rsiPeriod: 9, oversold: 40, overbought: 60, bands: true, stopLossPct: 1 }, 1, false, 0.3],
    ['sma-cross', { fast: 5, slow: 20 }, 4096, false, 0.8],
    ['sma-cross', { fast: 1, slow: 2 }, 7, true, 0.3],
    ['breakout', { period: 20, exitPeriod: 10, atrPeriod: 14 }, 4096, false, 0.5],
    ['breakout', { period: 8, exitPeriod: 8, atrPeriod: 1 }, 1, true, 0.3],
  ] as const) {
    it(`${name} ${JSON.stringify(raw)}, ranges of ${chunk}, series ${keep ? 'kept' : 'not kept'}`, () => check(definition(name), raw, chunk, keep, share));
  }

  it('composite reads the signals on every row: it marks no row quiet', () => {
    const def = definition('composite');
    expect(def.create(parseStrategyParams(def, {})).quietRows).toBeUndefined();
  });

  it('a row with RSI exactly at a threshold is quiet (the strategy compares strictly)', () => {
    // Closes 100, 101, 100: two changes of 1 up and 1 down, RSI(2) = 50 on row 2 (between); then row 3 up.
    const c = bars([
      [100, 100, 100, 100],
      [101, 101, 101, 101],
      [100, 100, 100, 100],
      [100, 102, 100, 102],
    ]);
    const params = parseStrategyParams(def, { rsiPeriod: 2, oversold: 50, overbought: 70 });
    const at = def.create(params);
    at.prepareRange!(c, 0, 4, false);
    const mask = at.quietRows!()!;
    // Row 2: RSI 50 = oversold 50, not below it: quiet. Rows 0–1: NaN, quiet. Row 3: RSI 83 > 70, may act.
    expect(Array.from(mask)).toEqual([1, 1, 1, 0]);
    expect(at.onCandle(ctxAt(c, 2, undefined, true))).toHaveLength(0);
  });
});

function ctxAt(c: Candles, i: number, position: PositionSnapshot | undefined, allowShort: boolean): StrategyContext {
  return { symbol: 'BTC/USDT', timeframe: '1m', candles: c, i, position, allowShort };
}
