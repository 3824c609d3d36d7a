import { describe, expect, it } from 'vitest';
import { chartBars } from '../../../src/backtest/report/chart-data.ts';
import { allocCandles } from '../../../src/domain/candles.ts';
import { MAX_MARKERS, monthlyHeatmapOption, priceOption, thinTrades, tradeKinds, tradeSeries } from '../../../src/web/assets/charts.js';

const trade = (i: number, pnl = i % 3 === 0 ? -1 : 1, side: 'long' | 'short' = 'long') => ({ entryTs: i * 10, exitTs: i * 10 + 5, entryPrice: 100, exitPrice: 100 + pnl, side, pnl, returnPct: pnl });

describe('trade markers: thinned by the zoom, never cut at one end', () => {
  const trades = Array.from({ length: 1862 }, (_, i) => trade(i));

  it('the whole period: at most MAX_MARKERS, spread from the first trade to the last', () => {
    const t = thinTrades(trades, 0, 1e9);
    expect(t.inView).toBe(1862);
    expect(t.shown).toHaveLength(MAX_MARKERS);
    expect(t.shown[0]).toBe(trades[0]);
    // The last marker is near the end (the old report kept only the last 400: here the first survive too).
    expect(t.shown.at(-1)!.entryTs).toBeGreaterThan(trades.at(-5)!.entryTs);
  });

  it('zoomed in: every trade in view, and only those (a trade overlapping an edge counts)', () => {
    const t = thinTrades(trades, 1000, 2000);
    expect(t.shown.map((x) => x.entryTs / 10)).toEqual(Array.from({ length: 101 }, (_, k) => 100 + k - 0).filter((i) => i * 10 + 5 >= 1000 && i * 10 <= 2000));
    expect(t.shown).toHaveLength(t.inView);
  });

  it('series per kind; the legend lists only kinds that exist', () => {
    const longOnly = [trade(1, 1), trade(2, -1)];
    expect([...tradeKinds(longOnly)].sort()).toEqual(['entry-long', 'exit-loss', 'exit-win', 'trade-loss', 'trade-win']);
    const s = tradeSeries(longOnly);
    expect(s.map((x) => x.id).sort()).toEqual(['entry-long', 'exit-loss', 'exit-win', 'trade-loss', 'trade-win']);
    const wins = s.find((x) => x.id === 'exit-win') as { data: unknown[]; itemStyle: { color: string } };
    expect(wins.data).toHaveLength(1);
    const shortWin = tradeSeries([trade(1, 2, 'short')]);
    expect(shortWin.map((x) => x.id).sort()).toEqual(['entry-short', 'exit-win', 'trade-win']);
    const option = priceOption({ bars: { ts: [0, 10], open: [1, 2], high: [2, 3], low: [0.5, 1], close: [2, 2.5], volume: [5, 6] }, trades: longOnly });
    const legend = (option.legend as { data: Array<string | { name: string }> }).data.map((x) => (typeof x === 'string' ? x : x.name));
    const names = (option.series as Array<{ name: string }>).map((x) => x.name);
    expect(legend.sort()).toEqual(names.sort());
  });
});

describe('monthly heatmap', () => {
  it('one cell per month plus a compounded Year column per year', () => {
    const o = monthlyHeatmapOption([
      { month: '2023-11', returnPct: 10, trades: 1, pnl: 5 },
      { month: '2023-12', returnPct: -10, trades: 0, pnl: 0 },
      { month: '2024-01', returnPct: 5, trades: 2, pnl: 3 },
    ]);
    const cells = (o.series as Array<{ data: Array<{ value: [number, number, number] }> }>)[0]!.data.map((c) => c.value);
    expect(cells).toContainEqual([10, 0, 10]);
    expect(cells).toContainEqual([11, 0, -10]);
    expect(cells).toContainEqual([0, 1, 5]);
    expect(cells).toContainEqual([12, 0, -1]); // 1.1 × 0.9 − 1
    expect(cells).toContainEqual([12, 1, 5]);
    expect((o.yAxis as { data: string[] }).data).toEqual(['2023', '2024']);
  });
});

describe('chart bars', () => {
  it('merges runs of candles into OHLCV bars and samples indicators at each bar end', () => {
    const c = allocCandles(10);
    for (let i = 0; i < 10; i++) {
      c.ts[i] = i * 60_000;
      c.open[i] = 100 + i;
      c.high[i] = 110 + i;
      c.low[i] = 90 + i;
      c.close[i] = 101 + i;
      c.volume[i] = 1;
    }
    const ind = Float64Array.from({ length: 10 }, (_, i) => (i < 2 ? NaN : i));
    const { bars, indicators } = chartBars(c, 0, 4, [{ name: 'x', pane: 'price', values: ind }]);
    // 10 candles into at most 4 bars: 3 per bar → 4 bars (3, 3, 3, 1).
    expect(bars.ts).toEqual([0, 180_000, 360_000, 540_000]);
    expect(bars.open).toEqual([100, 103, 106, 109]);
    expect(bars.high).toEqual([112, 115, 118, 119]);
    expect(bars.low).toEqual([90, 93, 96, 99]);
    expect(bars.close).toEqual([103, 106, 109, 110]);
    expect(bars.volume).toEqual([3, 3, 3, 1]);
    expect(indicators[0]!.values).toEqual([2, 5, 8, 9]);
    const warm = chartBars(c, 8, 100, [{ name: 'x', pane: 'price', values: ind }]);
    expect(warm.bars.ts).toEqual([480_000, 540_000]);
  });
});
