import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimExchange, type SimExchangeOptions } from '../../../../src/adapters/exchange/sim/index.ts';
import { candlesFromRows, type Candles } from '../../../../src/domain/candles.ts';
import type { MarketInfo } from '../../../../src/domain/market.ts';
import type { MarketData } from '../../../../src/ports/market-data.ts';

const REAL_START = Date.UTC(2024, 0, 1, 12, 0, 0);
const MIN = 60_000;

function fakeClock(t = REAL_START) {
  const c = { t, now: () => c.t };
  return c;
}

async function sim(extra: Partial<SimExchangeOptions> = {}, clock = fakeClock()) {
  const ex = await createSimExchange({
    symbols: ['BTC/USDT'],
    timeframe: '1m',
    seed: 42,
    speed: 2,
    historyCandles: 500,
    cash: 10_000,
    feeBps: 10,
    slippageBps: 0,
    marketType: 'spot',
    now: clock.now,
    ...extra,
  });
  return { ex, clock };
}

describe('sim exchange — market data and accelerated time', () => {
  it('starts with historyCandles closed candles ending at the real start, and runs speed candles per real second', async () => {
    const { ex, clock } = await sim();
    expect(ex.clock.now()).toBe(REAL_START);
    const all = await ex.fetchCandles('BTC/USDT', '1m', undefined, 10_000);
    expect(all.length).toBe(500);
    expect(all.ts[499]! + MIN).toBe(REAL_START);
    clock.t += 1500; // 1.5 s × 2 candles/s = 3 candles
    expect(ex.clock.now()).toBe(REAL_START + 3 * MIN);
    const after = await ex.fetchCandles('BTC/USDT', '1m', undefined, 10_000);
    expect(after.length).toBe(503);
    // The history did not change; the new candles continue it.
    expect(after.close.subarray(0, 500)).toEqual(all.close);
    expect(after.open[500]).toBe(all.close[499]);
  });

  it('honours since and limit, never returns a forming candle, and builds higher timeframes from closed candles', async () => {
    const { ex, clock } = await sim();
    clock.t += 250; // half a candle into the forming one
    const since = REAL_START - 10 * MIN;
    const c = await ex.fetchCandles('BTC/USDT', '1m', since, 4);
    expect([...c.ts]).toEqual([0, 1, 2, 3].map((i) => since + i * MIN));
    const tail = await ex.fetchCandles('BTC/USDT', '1m', since, 100);
    expect(tail.length).toBe(10);
    const m5 = await ex.fetchCandles('BTC/USDT', '5m', undefined, 3);
    expect([...m5.ts]).toEqual([REAL_START - 15 * MIN, REAL_START - 10 * MIN, REAL_START - 5 * MIN]);
    const base = await ex.fetchCandles('BTC/USDT', '1m', REAL_START - 5 * MIN, 5);
    expect(m5.open[2]).toBe(base.open[0]);
    expect(m5.close[2]).toBe(base.close[4]);
    expect(m5.high[2]).toBe(Math.max(...base.high));
    await expect(ex.fetchCandles('BTC/USDT', '90s', undefined, 3)).rejects.toThrow(/not a multiple/);
    await expect(ex.fetchCandles('NOPE/USDT', '1m', undefined, 3)).rejects.toThrow(/unknown symbol NOPE\/USDT/);
  });

  it('lists the fixed markets plus configured symbols with venue-like precision', async () => {
    const { ex } = await sim({ symbols: ['BTC/USDT', 'PEPE/USDT'] });
    const m = await ex.loadMarkets();
    expect([...m.keys()]).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'PEPE/USDT']));
    const btc = m.get('BTC/USDT') as MarketInfo;
    expect(btc).toMatchObject({ type: 'spot', amountStep: 0.00001, priceStep: 0.01, minNotional: 5, takerFee: 0.001, makerFee: 0.00075 });
    const p = await ex.fetchPrice('BTC/USDT');
    expect(p).toBeGreaterThan(40_000);
    expect(p).toBeLessThan(90_000);
    expect(await ex.fetchPrice('ETH/USDT')).toBeLessThan(6000);
  });
});

describe('sim exchange — execution', () => {
  it('fills a market order at the open of the forming candle and a resting limit once a later candle crosses it', async () => {
    const { ex, clock } = await sim({ slippageBps: 0 });
    clock.t += 200; // inside the forming candle
    const candlesNow = await ex.fetchCandles('BTC/USDT', '1m', undefined, 1);
    const r = await ex.placeOrder({ clientOrderId: 'm1', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.01 });
    expect(r.status).toBe('filled');
    expect(r.avgPrice).toBe(candlesNow.close[0]); // synthetic open = previous close
    // A sell limit just above the price: must rest, then fill when a later candle's high reaches it.
    const price = r.avgPrice!;
    const limit = Math.round(price * 1.0005 * 100) / 100;
    const l = await ex.placeOrder({ clientOrderId: 'l1', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: 0.01, price: limit });
    expect(l.status).toBe('open');
    expect((await ex.fetchBalances()).BTC).toEqual({ free: 0, used: 0.01, total: 0.01 });
    let filledAt = -1;
    for (let step = 1; step <= 2000 && filledAt < 0; step++) {
      clock.t += 500; // one candle
      const o = await ex.fetchOrder('l1', 'BTC/USDT');
      if (o!.status === 'filled') filledAt = step;
    }
    expect(filledAt).toBeGreaterThan(0);
    const o = (await ex.fetchOrder('l1', 'BTC/USDT'))!;
    expect(o.avgPrice).toBeGreaterThanOrEqual(limit);
    expect(o.fills.every((f) => f.liquidity === 'maker')).toBe(true);
    // The candle that filled it really traded at or above the limit.
    const fillCandle = await ex.fetchCandles('BTC/USDT', '1m', o.fills.at(-1)!.ts, 1);
    expect(fillCandle.high[0]).toBeGreaterThanOrEqual(limit);
    expect((await ex.fetchMyTrades('BTC/USDT')).map((f) => f.clientOrderId)).toEqual(['m1', 'l1']);
    expect(await ex.fetchOpenOrders()).toEqual([]);
    expect(await ex.fetchOrder('never', 'BTC/USDT')).toBeUndefined();
  });

  it('replays a candle file at SIM_SPEED (SIM_DATA) and stops at its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-data-'));
    const file = join(dir, 'candles.csv');
    const rows = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 20; i++) rows.push(`${REAL_START + i * MIN},${100 + i},${101 + i},${99 + i},${100.5 + i},${10}`);
    writeFileSync(file, rows.join('\n'));
    const { ex, clock } = await sim({ symbols: ['SOL/USDT'], dataFile: file, historyCandles: 5, speed: 1 });
    let c = await ex.fetchCandles('SOL/USDT', '1m', undefined, 100);
    expect(c.length).toBe(5);
    expect(c.close[4]).toBe(104.5);
    expect(await ex.fetchPrice('SOL/USDT')).toBe(105); // open of the forming candle
    clock.t += 3000;
    c = await ex.fetchCandles('SOL/USDT', '1m', undefined, 100);
    expect(c.length).toBe(8);
    clock.t += 60_000;
    c = await ex.fetchCandles('SOL/USDT', '1m', undefined, 100);
    expect(c.length).toBe(20);
    expect(await ex.fetchPrice('SOL/USDT')).toBe(119.5); // the last close once the file is over
    await expect(sim({ dataFile: join(dir, 'missing.csv') })).rejects.toThrow(/not found/);
  });

  it('fills against a real venue price source in paper mode', async () => {
    let price = 50_000;
    const markets = new Map<string, MarketInfo>([
      ['BTC/USDT', { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.00001, priceStep: 0.01, minAmount: 0.00001, minNotional: 5, contractSize: 1, makerFee: 0.001, takerFee: 0.001 }],
    ]);
    const venue: MarketData = {
      exchangeId: 'binance',
      loadMarkets: async () => markets,
      fetchCandles: async (): Promise<Candles> => candlesFromRows([{ ts: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 }]),
      fetchPrice: async () => price,
    };
    const { ex } = await sim({ priceSource: venue, feeBps: 20, slippageBps: 10 });
    expect((await ex.fetchCandles('BTC/USDT', '1m', undefined, 1)).length).toBe(1);
    const r = await ex.placeOrder({ clientOrderId: 'p1', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.1 });
    expect(r.avgPrice).toBe(50_050);
    expect(r.fee).toBeCloseTo(0.1 * 50_050 * 0.002, 8);
    await ex.placeOrder({ clientOrderId: 'p2', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: 0.1, price: 51_000 });
    expect((await ex.fetchOrder('p2', 'BTC/USDT'))!.status).toBe('open');
    price = 51_200;
    const o = (await ex.fetchOrder('p2', 'BTC/USDT'))!;
    expect(o.status).toBe('filled');
    expect(o.avgPrice).toBe(51_000);
  });

  it('refuses calls after close', async () => {
    const { ex } = await sim();
    await ex.close();
    await expect(ex.fetchPrice('BTC/USDT')).rejects.toThrow(/closed/);
  });
});
