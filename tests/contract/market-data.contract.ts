/**
 * The behaviour every MarketData implementation must have (ccxt against the local exchange, the
 * simulated exchange, …). Run it with `describeMarketDataContract('name', makeSubject)` from a
 * `*.test.ts` file; the suite knows nothing about any particular implementation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Candles } from '../../src/domain/candles.ts';
import { roundToStep } from '../../src/domain/market.ts';
import { alignTs, timeframeToMs } from '../../src/domain/timeframe.ts';
import type { MarketData } from '../../src/ports/market-data.ts';

export interface MarketDataContractSubject {
  marketData: MarketData;
  /** A symbol the venue lists, with candle history for `timeframe`. */
  symbol: string;
  /** A timeframe with history, e.g. '1m'. */
  timeframe: string;
  /** Earliest candle open time (UTC ms) from which the venue has contiguous history; at least 1,500 closed candles before now. */
  historyStart: number;
  /** Move the venue's price of `symbol` (deterministic tests). */
  setPrice(price: number): Promise<void> | void;
  /** The venue's clock (UTC ms): a candle is closed when open + timeframe <= now. */
  now(): Promise<number> | number;
  close(): Promise<void>;
}

function assertAscendingClosed(c: Candles, tfMs: number, now: number): void {
  for (let i = 0; i < c.length; i++) {
    expect(c.ts[i]! % 1, 'integer open times').toBe(0);
    expect(c.ts[i]! + tfMs, `candle ${i} (${new Date(c.ts[i]!).toISOString()}) is still forming`).toBeLessThanOrEqual(now);
    if (i > 0) expect(c.ts[i]!, 'strictly ascending').toBeGreaterThan(c.ts[i - 1]!);
  }
}

function assertSaneOhlc(c: Candles): void {
  for (let i = 0; i < c.length; i++) {
    expect(c.high[i]!).toBeGreaterThanOrEqual(Math.max(c.open[i]!, c.close[i]!));
    expect(c.low[i]!).toBeLessThanOrEqual(Math.min(c.open[i]!, c.close[i]!));
    expect(c.low[i]!).toBeGreaterThan(0);
    expect(c.volume[i]!).toBeGreaterThanOrEqual(0);
  }
}

export function describeMarketDataContract(name: string, makeSubject: () => Promise<MarketDataContractSubject>): void {
  describe(`MarketData contract: ${name}`, () => {
    let s: MarketDataContractSubject;
    let tfMs: number;

    beforeEach(async () => {
      s = await makeSubject();
      tfMs = timeframeToMs(s.timeframe);
    });
    afterEach(async () => {
      await s.close();
    });

    it('lists the subject symbol with usable market rules', async () => {
      const markets = await s.marketData.loadMarkets();
      const m = markets.get(s.symbol);
      expect(m, `${s.symbol} listed`).toBeDefined();
      expect(m!.symbol).toBe(s.symbol);
      expect(m!.amountStep).toBeGreaterThan(0);
      expect(m!.priceStep).toBeGreaterThan(0);
      expect(m!.minAmount).toBeGreaterThan(0);
      expect(m!.minNotional).toBeGreaterThanOrEqual(0);
      expect(m!.takerFee).toBeGreaterThanOrEqual(0);
      expect(typeof s.marketData.exchangeId).toBe('string');
    });

    it('fetchPrice returns the current (set) price, always positive', async () => {
      const m = (await s.marketData.loadMarkets()).get(s.symbol)!;
      // Prices on the market's tick grid: a venue quotes nothing finer.
      const first = roundToStep(12_345.67, m.priceStep);
      const second = roundToStep(23_456.78, m.priceStep);
      await s.setPrice(first);
      expect(await s.marketData.fetchPrice(s.symbol)).toBeCloseTo(first, 6);
      await s.setPrice(second);
      const p = await s.marketData.fetchPrice(s.symbol);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeCloseTo(second, 6);
    });

    it('without since: the latest `limit` closed candles, ascending, no forming candle', async () => {
      const c = await s.marketData.fetchCandles(s.symbol, s.timeframe, undefined, 10);
      const now = await s.now();
      expect(c.length).toBe(10);
      assertAscendingClosed(c, tfMs, now);
      assertSaneOhlc(c);
      // The newest closed candle is included (allowing one boundary crossing between the call and now()).
      expect(c.ts[c.length - 1]!).toBeGreaterThanOrEqual(alignTs(now, tfMs) - 2 * tfMs);
      for (let i = 1; i < c.length; i++) expect(c.ts[i]! - c.ts[i - 1]!).toBe(tfMs);
    });

    it('respects since (unaligned since → first candle opens at or after it) and limit', async () => {
      const since = s.historyStart + 17 * tfMs + 1234;
      const c = await s.marketData.fetchCandles(s.symbol, s.timeframe, since, 25);
      expect(c.length).toBe(25);
      expect(c.ts[0]!).toBeGreaterThanOrEqual(since);
      expect(c.ts[0]!).toBe(alignTs(since, tfMs) + tfMs);
      assertAscendingClosed(c, tfMs, await s.now());
    });

    it('returns exactly `limit` contiguous candles when that spans several venue pages', async () => {
      const since = s.historyStart;
      const c = await s.marketData.fetchCandles(s.symbol, s.timeframe, since, 1_200);
      expect(c.length).toBe(1_200);
      expect(c.ts[0]!).toBe(since);
      for (let i = 1; i < c.length; i++) expect(c.ts[i]! - c.ts[i - 1]!).toBe(tfMs);
      assertAscendingClosed(c, tfMs, await s.now());
    });

    it('stops at the last closed candle when since + limit reaches into the future', async () => {
      const now = await s.now();
      const since = alignTs(now, tfMs) - 5 * tfMs;
      const c = await s.marketData.fetchCandles(s.symbol, s.timeframe, since, 50);
      // 5 candles closed at `now`; a 6th if a candle closes while the call runs.
      expect(c.length).toBeGreaterThanOrEqual(5);
      expect(c.length).toBeLessThanOrEqual(6);
      expect(c.ts[0]!).toBe(since);
      assertAscendingClosed(c, tfMs, await s.now());
    });

    it('since in the future → no candles', async () => {
      const now = await s.now();
      const c = await s.marketData.fetchCandles(s.symbol, s.timeframe, now + 10 * tfMs, 10);
      expect(c.length).toBe(0);
    });

    it('a repeated query returns the same closed candles', async () => {
      const since = s.historyStart + 100 * tfMs;
      const a = await s.marketData.fetchCandles(s.symbol, s.timeframe, since, 30);
      const b = await s.marketData.fetchCandles(s.symbol, s.timeframe, since, 30);
      expect(Array.from(b.ts)).toEqual(Array.from(a.ts));
      expect(Array.from(b.close)).toEqual(Array.from(a.close));
    });
  });
}
