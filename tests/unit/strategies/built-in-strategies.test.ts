import { describe, expect, it } from 'vitest';
import { candlesFromRows, type Candles } from '../../../src/domain/candles.ts';
import { atr, bollinger, rsi, sma } from '../../../src/indicators/index.ts';
import { breakout } from '../../../src/strategies/breakout.ts';
import { composite } from '../../../src/strategies/composite.ts';
import { parseStrategyParams } from '../../../src/strategies/registry.ts';
import { rsiBb } from '../../../src/strategies/rsi-bb.ts';
import { smaCross } from '../../../src/strategies/sma-cross.ts';
import type { Intent, PositionSnapshot, StrategyDefinition } from '../../../src/strategies/strategy.ts';

function closes(xs: number[]): Candles {
  return candlesFromRows(xs.map((c, i) => ({ ts: i * 60_000, open: i > 0 ? xs[i - 1]! : c, high: c + 0.5, low: c - 0.5, close: c, volume: 100 + (i % 7) })));
}

/** Every candle's intents, with the strategy holding whatever position its own intents open. */
function replay(def: StrategyDefinition<any>, raw: Record<string, unknown>, c: Candles, allowShort = false, signals?: (i: number) => Map<string, number>) {
  const inst = def.create(parseStrategyParams(def, raw));
  inst.prepare(c);
  let position: PositionSnapshot | undefined;
  const out: Array<{ i: number; intents: readonly Intent[] }> = [];
  for (let i = 0; i < c.length; i++) {
    const intents = inst.onCandle({ symbol: 'X/USDT', timeframe: '1m', candles: c, i, position, allowShort, signals: signals?.(i) }) ?? [];
    if (intents.length) out.push({ i, intents });
    for (const it of intents) {
      if (it.kind === 'exit') position = undefined;
      if (it.kind === 'enter') position = { side: it.side, quantity: 1, entryPrice: c.close[i]!, openedAt: i };
    }
  }
  return out;
}

// Falls for 20 candles, rises for 20, falls again.
const wave = [...Array.from({ length: 20 }, (_, i) => 100 - i), ...Array.from({ length: 20 }, (_, i) => 81 + i * 1.5), ...Array.from({ length: 20 }, (_, i) => 110 - i * 1.5)];

describe('rsi-bb', () => {
  it('buys on the first RSI below 30 and sells on the first RSI above 70', () => {
    const c = closes(wave);
    const r = rsi(c.close, 14);
    const firstLow = r.findIndex((v) => v < 30);
    const firstHighAfter = r.findIndex((v, i) => i > firstLow && v > 70);
    const got = replay(rsiBb, {}, c);
    expect(got[0]).toEqual({ i: firstLow, intents: [{ kind: 'enter', side: 'long', reason: 'rsi oversold' }] });
    expect(got[1]).toEqual({ i: firstHighAfter, intents: [{ kind: 'exit', reason: 'rsi overbought' }] });
  });

  it('with bands, also needs the close under the lower band; stop and target come from the entry close', () => {
    // Calm, a steady grind down (RSI under 30, the close still inside the band), then a sharp drop.
    const xs = [...Array.from({ length: 30 }, (_, i) => 100 + (i % 2)), ...Array.from({ length: 20 }, (_, i) => 99.7 - i * 0.3), 90, 86];
    const c = closes(xs);
    const r = rsi(c.close, 14);
    const lower = bollinger(c.close, 20, 2).lower;
    const expected = r.findIndex((v, i) => v < 30 && c.close[i]! < lower[i]!);
    expect(r.findIndex((v) => v < 30)).toBeLessThan(expected);
    const got = replay(rsiBb, { bands: true, stopLossPct: 2, takeProfitPct: 4 }, c);
    expect(got[0]!.i).toBe(expected);
    const entry = got[0]!.intents[0] as Extract<Intent, { kind: 'enter' }>;
    const px = c.close[expected]!;
    expect(entry.stopLoss).toBeCloseTo(px * 0.98, 10);
    expect(entry.takeProfit).toBeCloseTo(px * 1.04, 10);
    expect(() => parseStrategyParams(rsiBb, { oversold: 80 })).toThrow(/oversold must be below overbought/);
  });

  it('goes short on RSI above 70 only when shorting is allowed', () => {
    const up = closes(Array.from({ length: 40 }, (_, i) => 100 + i));
    expect(replay(rsiBb, {}, up, false)).toEqual([]);
    expect(replay(rsiBb, {}, up, true)[0]!.intents[0]).toMatchObject({ kind: 'enter', side: 'short' });
  });
});

describe('sma-cross', () => {
  it('goes long on a strict cross up, exits (and shorts when allowed) on a cross down', () => {
    const c = closes(wave);
    const f = sma(c.close, 3);
    const s = sma(c.close, 8);
    const up = f.findIndex((v, i) => i > 0 && f[i - 1]! < s[i - 1]! && v > s[i]!);
    const down = f.findIndex((v, i) => i > up && f[i - 1]! > s[i - 1]! && v < s[i]!);
    const longOnly = replay(smaCross, { fast: 3, slow: 8 }, c);
    expect(longOnly).toEqual([
      { i: up, intents: [{ kind: 'enter', side: 'long', reason: 'sma cross up' }] },
      { i: down, intents: [{ kind: 'exit', reason: 'sma cross down' }] },
    ]);
    const withShort = replay(smaCross, { fast: 3, slow: 8 }, c, true);
    expect(withShort.find((x) => x.i === down)!.intents).toEqual([
      { kind: 'exit', reason: 'sma cross down' },
      { kind: 'enter', side: 'short', reason: 'sma cross down' },
    ]);
    expect(() => parseStrategyParams(smaCross, { fast: 30, slow: 10 })).toThrow(/fast must be smaller than slow/);
  });
});

describe('breakout', () => {
  it('buys a close above the previous N-bar high with an ATR stop, exits below the exit channel low', () => {
    const xs = [...Array.from({ length: 25 }, (_, i) => 100 + (i % 2)), 105, 106, 107, 104, 99];
    const c = closes(xs);
    const a = atr(c.high, c.low, c.close, 14);
    const got = replay(breakout, { period: 20, exitPeriod: 3, atrPeriod: 14, atrMultiplier: 2 }, c);
    expect(got[0]!.i).toBe(25);
    expect(got[0]!.intents[0]).toEqual({ kind: 'enter', side: 'long', stopLoss: 105 - 2 * a[25]!, reason: 'donchian breakout up' });
    // The exit channel at 28 is the lowest low of candles 25..27 = 104.5; the close of 104 breaks it.
    expect(got[1]).toEqual({ i: 28, intents: [{ kind: 'exit', reason: 'channel exit' }] });
  });
});

describe('composite', () => {
  it('scores external signals by their weights: enters above the threshold, exits when the score fades', () => {
    const c = closes(Array.from({ length: 30 }, () => 100));
    const fear = [0, 0, 2, 2, 0.5, -1, 0, 0];
    const got = replay(
      composite,
      { wRsi: 0, wBbWidth: 0, wMomentum: 0, wVolume: 0, signals: { fear: 1 }, threshold: 1, exitThreshold: 0, zPeriod: 2, bbPeriod: 2, momentumPeriod: 1 },
      c,
      false,
      (i) => new Map([['fear', fear[i] ?? 0]]),
    );
    expect(got).toEqual([
      { i: 2, intents: [{ kind: 'enter', side: 'long', reason: 'composite score high' }] },
      { i: 5, intents: [{ kind: 'exit', reason: 'composite score faded' }] },
    ]);
  });

  it('combines the price factors: an oversold RSI alone pushes the score up', () => {
    const c = closes(wave);
    const got = replay(composite, { wBbWidth: 0, wMomentum: 0, wVolume: 0, threshold: 1.5, zPeriod: 5 }, c);
    const r = rsi(c.close, 14);
    // (50 − RSI) / 10 > 1.5 ⇔ RSI < 35
    expect(got[0]!.i).toBe(r.findIndex((v) => v < 35));
  });
});
