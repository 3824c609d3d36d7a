import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/index.ts';
import { bars, DAY, scripted, T0 } from './scripted-strategy.ts';

const long = { kind: 'enter', side: 'long' } as const;
const short = { kind: 'enter', side: 'short' } as const;
const exit = { kind: 'exit', reason: 'script exit' } as const;

// Close of 0 differs from open of 1, so the two fill models give different prices.
const rising = bars([
  [100, 100, 100, 100],
  [102, 110, 95, 105],
  [105, 111, 104, 110],
  [110, 121, 109, 120],
  [120, 121, 119, 120],
]);

describe('runBacktest — fills, fees, slippage, sizing', () => {
  it('all-in long, next-open fills, 0.1 % fee: every number worked out by hand', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), fee: '0.1%', cash: 10_000 });
    // Buys at open[1] = 102 with all the cash: q = 10000 / (102 × 1.001); sells at open[3] = 110.
    const q = 10_000 / (102 * 1.001);
    const expected = 10_000 + q * (110 - 102) - q * 102 * 0.001 - q * 110 * 0.001;
    expect(r.trades).toBe(1);
    const t = r.tradeList[0]!;
    expect(t.entryPrice).toBe(102);
    expect(t.exitPrice).toBe(110);
    expect(t.entryIndex).toBe(1);
    expect(t.exitIndex).toBe(3);
    expect(t.quantity).toBeCloseTo(q, 10);
    expect(t.fees).toBeCloseTo(q * 0.212, 8);
    expect(r.finalEquity).toBeCloseTo(expected, 8);
    expect(t.pnl).toBeCloseTo(expected - 10_000, 8);
    expect(t.returnPct).toBeCloseTo(((expected - 10_000) / (q * 102)) * 100, 8);
    expect(t.exitReason).toBe('script exit');
    expect(t.openAtEnd).toBe(false);
    expect(r.returnPct).toBeCloseTo((expected / 10_000 - 1) * 100, 8);
    // Equity: flat 10000 at close 0; at close 1 the coins are worth q × 105 plus the cash left (≈ 0).
    expect(r.equity[0]).toBe(10_000);
    expect(r.equity[1]).toBeCloseTo(10_000 - q * 102 * 0.001 + q * (105 - 102), 8);
    expect(r.equity[4]).toBeCloseTo(expected, 8);
    // Held at the close of candles 1 and 2 → 2 of 5.
    expect(r.exposurePct).toBeCloseTo(40, 10);
    expect(r.buyHoldReturnPct).toBeCloseTo(20, 10);
  });

  it('close fills trade at the decision candle close instead of the next open', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), fill: 'close', cash: 10_000 });
    const t = r.tradeList[0]!;
    expect([t.entryPrice, t.exitPrice, t.entryIndex, t.exitIndex]).toEqual([100, 110, 0, 2]);
    expect(r.finalEquity).toBeCloseTo(11_000, 8);
  });

  it('lot rounding and slippage: whole units, buys 10 bps up, sells 10 bps down', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), fee: '10bps', slippage: '10bps', lot: 1, cash: 10_000 });
    const buy = 102 * 1.001;
    const sell = 110 * 0.999;
    const q = Math.floor(10_000 / (buy * 1.001)); // 97
    expect(q).toBe(97);
    const t = r.tradeList[0]!;
    expect(t.quantity).toBe(97);
    expect(t.entryPrice).toBeCloseTo(buy, 10);
    expect(t.exitPrice).toBeCloseTo(sell, 10);
    expect(r.finalEquity).toBeCloseTo(10_000 + q * (sell - buy) - q * buy * 0.001 - q * sell * 0.001, 8);
  });

  it('a spread costs half of it on each fill, like slippage', () => {
    const a = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), spread: '20bps' });
    const b = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), slippage: 10 });
    expect(a.finalEquity).toBeCloseTo(b.finalEquity, 10);
    expect(a.tradeList[0]!.entryPrice).toBeCloseTo(102 * 1.001, 10);
  });

  it('fixed and percent sizing commit the asked quote amount', () => {
    const fixed = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), sizing: 'fixed:1000', fill: 'close' });
    expect(fixed.tradeList[0]!.quantity).toBeCloseTo(10, 10); // 1000 / 100
    expect(fixed.finalEquity).toBeCloseTo(10_000 + 10 * 10, 8);
    const pct = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit] }), sizing: 'percent:25', fill: 'close' });
    expect(pct.tradeList[0]!.quantity).toBeCloseTo(25, 10); // 2500 / 100
  });

  it('short positions profit from a fall (allow-short), and shorts are refused without it', () => {
    const falling = bars([
      [100, 100, 100, 100],
      [100, 101, 94, 95],
      [95, 96, 89, 90],
      [90, 91, 84, 85],
    ]);
    const r = runBacktest({ candles: falling, strategy: scripted({ 0: [short], 2: [exit] }), allowShort: true, fee: '0.1%' });
    const q = 10_000 / (100 * 1.001);
    const t = r.tradeList[0]!;
    expect(t.side).toBe('short');
    expect([t.entryPrice, t.exitPrice]).toEqual([100, 90]);
    expect(r.finalEquity).toBeCloseTo(10_000 + q * 10 - q * 100 * 0.001 - q * 90 * 0.001, 8);
    // Marked to market while short: equity at close 1 = cash − fee + (100 − 95) × q.
    expect(r.equity[1]).toBeCloseTo(10_000 - q * 0.1 + 5 * q, 8);
    const refused = runBacktest({ candles: falling, strategy: scripted({ 0: [short] }) });
    expect(refused.trades).toBe(0);
    expect(refused.denials.SHORT_NOT_ALLOWED).toBe(1);
  });

  it('exit then reverse on one candle closes the long and opens a short at the same fill', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 0: [long], 2: [exit, short], 3: [exit] }), allowShort: true, fill: 'close' });
    expect(r.tradeList.map((t) => [t.side, t.entryPrice, t.exitPrice])).toEqual([
      ['long', 100, 110],
      ['short', 110, 120],
    ]);
  });
});

// The engine sees closed candles, so a level touched inside candle i exits at the next open, in the
// backtest as in paper and live (the candle step decides, the executor fills at the next price).
describe('runBacktest — stop-loss and take-profit inside candles', () => {
  const withLevels = { kind: 'enter', side: 'long', stopLoss: 95, takeProfit: 110, reason: 'entry' } as const;
  // Candle 2 touches both 95 and 110; candle 3 opens at 97.
  const both = bars([
    [100, 100, 100, 100],
    [100, 101, 99, 100],
    [100, 112, 94, 100],
    [97, 101, 96, 100],
  ]);

  it('assumes the stop came first when one candle touches both and there is no lower timeframe', () => {
    const r = runBacktest({ candles: both, strategy: scripted({ 0: [withLevels] }) });
    const t = r.tradeList[0]!;
    expect(t.exitReason).toBe('stop-loss');
    expect(t.exitPrice).toBe(97);
    expect(t.exitIndex).toBe(3);
    expect(r.finalEquity).toBeCloseTo(10_000 * 0.97, 8);
  });

  it('walks the lower-timeframe candles to find which level was touched first', () => {
    const six = 6 * 3_600_000;
    // Four 6-hour candles inside day 2: the high of 112 comes in the second, the low of 94 in the fourth.
    const lower = bars(
      [
        [100, 101, 99, 100],
        [100, 112, 100, 105],
        [105, 106, 100, 101],
        [101, 101, 94, 100],
      ],
      six,
      T0 + 2 * DAY,
    );
    const r = runBacktest({ candles: both, strategy: scripted({ 0: [withLevels] }), lowerTimeframe: lower });
    const t = r.tradeList[0]!;
    expect(t.exitReason).toBe('take-profit');
    expect([t.exitIndex, t.exitPrice]).toEqual([3, 97]);
    // The reverse order inside the day gives the stop.
    const reversed = bars(
      [
        [100, 101, 94, 100],
        [100, 112, 100, 105],
      ],
      six,
      T0 + 2 * DAY,
    );
    expect(runBacktest({ candles: both, strategy: scripted({ 0: [withLevels] }), lowerTimeframe: reversed }).tradeList[0]!.exitReason).toBe('stop-loss');
  });

  it('a candle that gaps through the stop exits at the next open', () => {
    const gap = bars([
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [90, 92, 88, 91],
      [89, 93, 87, 92],
    ]);
    const t = runBacktest({ candles: gap, strategy: scripted({ 0: [withLevels] }) }).tradeList[0]!;
    expect([t.exitReason, t.exitIndex, t.exitPrice]).toEqual(['stop-loss', 3, 89]);
  });

  it('the trading state applies in backtests as live: HALTED and REDUCING refuse entries with their codes', () => {
    const halted = { state: 'HALTED', reason: 'test', changedBy: 'test', changedAt: 0 } as const;
    const h = runBacktest({ candles: both, strategy: scripted({ 0: [withLevels] }), tradingState: halted });
    expect([h.trades, h.denials]).toEqual([0, { HALTED: 1 }]);
    const reducing = { state: 'REDUCING', reason: 'test', changedBy: 'test', changedAt: 0 } as const;
    const r = runBacktest({ candles: both, strategy: scripted({ 0: [withLevels] }), tradingState: reducing });
    expect([r.trades, r.denials]).toEqual([0, { NO_NEW_ENTRIES: 1 }]);
  });

  it('checks a short position’s stop above and target below', () => {
    const r = runBacktest({
      candles: both,
      strategy: scripted({ 0: [{ kind: 'enter', side: 'short', stopLoss: 105, takeProfit: 96 }] }),
      allowShort: true,
    });
    const t = r.tradeList[0]!;
    expect([t.exitReason, t.exitIndex, t.exitPrice]).toEqual(['stop-loss', 3, 97]);
    expect(r.finalEquity).toBeCloseTo(10_000 + 3 * 100, 8);
  });
});

describe('runBacktest — end of data, validation', () => {
  it('closes a position still open at the end at the last close and flags it', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 0: [long] }), fill: 'close' });
    const t = r.tradeList[0]!;
    expect(t.openAtEnd).toBe(true);
    expect(t.exitReason).toBe('end of data');
    expect(t.exitPrice).toBe(120);
    expect(r.finalEquity).toBeCloseTo(12_000, 8);
    expect(r.equity[4]).toBeCloseTo(12_000, 8);
  });

  it('drops an order decided on the last candle (there is no next open)', () => {
    const r = runBacktest({ candles: rising, strategy: scripted({ 4: [long] }) });
    expect(r.trades).toBe(0);
    expect(r.finalEquity).toBe(10_000);
  });

  it('refuses bad options and unsorted candles with clear errors', () => {
    const s = scripted({});
    expect(() => runBacktest({ candles: rising, strategy: s, fee: 'lots' })).toThrow(/fee "lots" is not valid/);
    expect(() => runBacktest({ candles: rising, strategy: s, sizing: 'everything' })).toThrow(/sizing "everything" is not valid/);
    expect(() => runBacktest({ candles: bars([]), strategy: s })).toThrow(/no candles/);
    const unsorted = bars([[1, 1, 1, 1], [1, 1, 1, 1]]);
    unsorted.ts[1] = unsorted.ts[0]!;
    expect(() => runBacktest({ candles: unsorted, strategy: s })).toThrow(/ascending/);
  });

  it('names the first two rows out of time order, wherever they are (also a missing time), and trades nothing', () => {
    const at = (k: number, ts: number) => {
      const c = bars([[100, 100, 100, 100], [102, 110, 95, 105], [105, 111, 104, 110], [110, 121, 109, 120], [120, 121, 119, 120]]);
      c.ts[k] = ts;
      return c;
    };
    const s = scripted({ 0: [long] });
    expect(() => runBacktest({ candles: at(3, T0 + DAY), strategy: s })).toThrow('candles must be ascending by time (rows 2 and 3 are not)');
    expect(() => runBacktest({ candles: at(4, T0 + 3 * DAY), strategy: s })).toThrow('candles must be ascending by time (rows 3 and 4 are not)');
    expect(() => runBacktest({ candles: at(0, T0 + 9 * DAY), strategy: s })).toThrow('candles must be ascending by time (rows 0 and 1 are not)');
    expect(() => runBacktest({ candles: at(2, Number.NaN), strategy: s })).toThrow('candles must be ascending by time (rows 1 and 2 are not)');
    expect(() => runBacktest({ candles: at(0, Number.NaN), strategy: s })).toThrow('candles must be ascending by time (rows 0 and 1 are not)');
    // ascending times are accepted, with gaps of any size
    expect(runBacktest({ candles: at(4, T0 + 400 * DAY), strategy: s }).trades).toBe(1);
  });

  it('orders decided on the last candle of one 4,096-candle chunk fill at the first open of the next; equity and time order run across chunks', () => {
    // The simulation runs in chunks of 4,096 candles (src/backtest/run-backtest.ts): what carries from
    // one candle to the next (orders waiting for the next open, the position) must carry across them.
    const rows: [number, number, number, number][] = [];
    for (let i = 0; i < 12_300; i++) rows.push([100 + i * 0.01, 101 + i * 0.01, 99 + i * 0.01, 100.5 + i * 0.01]);
    const c = bars(rows, 60_000);
    const r = runBacktest({ candles: c, strategy: scripted({ 4095: [long], 8191: [exit], 12_287: [long] }), timeframe: '1m' });
    expect(r.tradeList.map((t) => [t.entryIndex, t.exitIndex, t.entryPrice, t.exitPrice])).toEqual([
      [4096, 8192, c.open[4096], c.open[8192]],
      [12_288, 12_299, c.open[12_288], c.close[12_299]],
    ]);
    expect(r.equity[4095]).toBe(10_000); // flat until the fill
    expect(r.equity[4096]).toBeCloseTo((10_000 / c.open[4096]!) * c.close[4096]!, 6);
    expect(r.exposurePct).toBeCloseTo(((8192 - 4096 + 12_299 - 12_288 + 1) / 12_300) * 100, 8);
    const unsorted = bars(rows, 60_000);
    unsorted.ts[8192] = unsorted.ts[8191]!;
    expect(() => runBacktest({ candles: unsorted, strategy: scripted({}) })).toThrow('candles must be ascending by time (rows 8191 and 8192 are not)');
  });

  it('reports progress from 0 to 1', () => {
    const seen: number[] = [];
    runBacktest({ candles: rising, strategy: scripted({}), onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
  });
});
