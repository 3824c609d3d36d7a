/**
 * Reconciliation with the exchange, end to end: the real ccxt client against the local
 * Binance-compatible exchange and a real database. What happens on the exchange while tradeops is
 * "down" is done to the exchange's state directly, as a person on the exchange's website would.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { OrderManager, type OrderPlan } from '../../../src/engine/order-manager.ts';
import { Reconciler } from '../../../src/engine/reconciler.ts';
import { systemClock } from '../../../src/ports/clock.ts';
import { databaseTargets } from '../../support/databases.ts';
import { startHarness, type Harness } from './harness.ts';

const target = databaseTargets().find((t) => t.name === 'postgres') ?? databaseTargets()[0]!;
const limitBuy = (price: number, quantity = 0.01): OrderPlan => ({ kind: 'entry', symbol: 'BTC/USDT', side: 'buy', quantity, reduceOnly: false, reason: 'reconcile test', type: 'limit', price });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => target.cleanup());

async function setup() {
  h = await startHarness({ local: { spotBalances: { USDT: 100_000, BTC: 0 } } });
  await h.adapter.loadMarkets();
  const database = await target.open();
  const store = new DrizzleTradingStore(database.db);
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const portfolio = new Portfolio(100_000);
  const logger = pino({ level: 'silent' });
  const orders = new OrderManager({ execution: h.adapter, store, clock: systemClock, mode: 'live', logger, portfolio, bus, lookupDelayMs: 0 });
  const reconciler = new Reconciler({ execution: h.adapter, store, orders, portfolio, bus, clock: systemClock, logger, account: 'binance', symbols: ['BTC/USDT'], checkHoldings: true, adoptCash: false, marks: () => new Map([['BTC/USDT', 44_000]]) });
  return { h, store, orders, portfolio, reconciler, events };
}

describe(`reconciliation (ccxt + local exchange + ${target.name})`, () => {
  it('ingests fills and cancels that happened while down, leaves external orders and coins alone, and a second run changes nothing', async () => {
    const { h, store, orders, portfolio, reconciler, events } = await setup();
    const a = await orders.submit(limitBuy(45_000), 's');
    const b = await orders.submit(limitBuy(30_000), 's');
    expect([(await store.getOrder(a.clientOrderId))!.status, (await store.getOrder(b.clientOrderId))!.status]).toEqual(['open', 'open']);

    // While tradeops is down: A fills, B is cancelled by hand, someone adds an order and deposits coins.
    h.local.state.setPrice('BTC/USDT', 44_000);
    h.local.state.spot.cancel('BTCUSDT', undefined, b.clientOrderId);
    h.local.state.spot.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.002', price: '20000', newClientOrderId: 'web_manual_1' } as never);
    h.local.state.spot.balance('BTC').free += 0.3;

    const first = await reconciler.run();
    expect(first.filledOffline).toEqual([a.clientOrderId]);
    expect(first.closedOnExchange).toEqual([b.clientOrderId]);
    expect(first.externalOrders.map((o) => o.clientOrderId)).toEqual(['web_manual_1']);
    expect(first.externalHoldings).toEqual([{ asset: 'BTC', amount: expect.closeTo(0.3, 8) }]);
    expect(first.adopted).toEqual([]);
    expect(first.mismatches).toEqual([]);
    expect((await store.getOrder(a.clientOrderId))!.status).toBe('filled');
    expect((await store.getOrder(b.clientOrderId))!.status).toBe('canceled');
    // Held = filled − the 0.1 % fee the venue took in BTC.
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.00999, 12);
    expect((await store.fillsOfOrder(a.clientOrderId)).reduce((s, f) => s + f.amount, 0)).toBeCloseTo(0.01, 12);
    const alert = events.find((e) => e.type === 'reconciliation') as Extract<DomainEvent, { type: 'reconciliation' }>;
    expect(alert.lines.join('\n')).toMatch(/filled while offline/);
    // The external order is untouched: still open on the exchange, never stored.
    expect(h.local.state.spot.open('BTCUSDT').map((o) => o.clientOrderId)).toEqual(['web_manual_1']);
    expect(await store.getOrder('web_manual_1')).toBeUndefined();
    expect(h.local.count('DELETE /api/v3/order')).toBe(0);

    const fillsBefore = (await store.recentFills(100)).length;
    const second = await reconciler.run();
    expect(second).toMatchObject({ settled: 0, filledOffline: [], closedOnExchange: [], adopted: [], mismatches: [] });
    expect((await store.recentFills(100)).length).toBe(fillsBefore);
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.00999, 12);
  });

  it('adopts the exchange figure when it holds less than tradeops recorded (sold by hand), keeping position = Σ fills − base fees', async () => {
    const { h, store, orders, portfolio, reconciler, events } = await setup();
    const a = await orders.submit({ kind: 'entry', symbol: 'BTC/USDT', side: 'buy', quantity: 0.02, reduceOnly: false, reason: 'entry' }, 's');
    expect(a.kind).toBe('placed');
    const held = h.local.state.spot.balance('BTC').free;
    h.local.state.spot.balance('BTC').free = held - 0.005; // sold 0.005 on the website
    const run = await reconciler.run();
    expect(run.adopted).toHaveLength(1);
    // Bought 0.02, the venue kept 0.00002 as fee (in BTC), 0.005 sold by hand: 0.01498 held.
    expect(run.adopted[0]!.to).toBeCloseTo(0.01498, 8);
    expect(run.mismatches).toEqual([]);
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.01498, 8);
    expect((await store.netFilledQuantities('binance')).get('BTC/USDT')!.net).toBeCloseTo(0.015, 8);
    expect((await store.positions('binance'))[0]!.quantity).toBeCloseTo(0.01498, 8);
    expect(events.some((e) => e.type === 'reconciliation' && e.severity === 'warning' && e.lines.some((l) => l.includes('holds less')))).toBe(true);
    const again = await reconciler.run();
    expect(again.adopted).toEqual([]);
  });

  it('adopts nothing on a symbol with an order not settled yet (a dead process\'s write-ahead close the venue is still working on)', async () => {
    const { h, store, orders, portfolio, reconciler } = await setup();
    await orders.submit({ kind: 'entry', symbol: 'BTC/USDT', side: 'buy', quantity: 0.02, reduceOnly: false, reason: 'entry' }, 's');
    const now = Date.now();
    // The close a killed process wrote before its request left; the venue's balance already moved, its trade is not listed yet.
    await store.insertOrder({ clientOrderId: 'ka1-BTCUSDT-1-1', exchange: 'binance', mode: 'live', symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: 0.01998, reduceOnly: true, status: 'pending', filled: 0, fee: 0, strategy: 'kill-all', reason: 'kill-all #1', createdAt: now, updatedAt: now });
    h.local.state.spot.balance('BTC').free = 0;
    const run = await reconciler.run();
    expect(run.adopted).toEqual([]);
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.01998, 8);
  });

  it('a run that cannot reach the exchange throws (the caller holds orders and retries)', async () => {
    const { h, reconciler } = await setup();
    h.local.ban(Date.now() + 60_000);
    await expect(reconciler.run()).rejects.toMatchObject({ kind: 'banned' });
  });
});

describe('fetchMyTrades pages forward from `since`', () => {
  it('returns every trade since a time, across pages, without duplicates', async () => {
    h = await startHarness({ adapter: { tradePageSize: 2 } });
    await h.adapter.loadMarkets();
    const since = Date.now() - 1_000;
    for (let i = 0; i < 5; i++) await h.adapter.placeOrder({ clientOrderId: `page-${i}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001 });
    const calls = h.local.count('GET /api/v3/myTrades');
    const trades = await h.adapter.fetchMyTrades('BTC/USDT', since);
    expect(trades.map((t) => t.clientOrderId).sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(5);
    expect(h.local.count('GET /api/v3/myTrades') - calls).toBeGreaterThanOrEqual(3);
  });
});

describe(`swap positions reconciled (ccxt + local exchange futures + ${target.name})`, () => {
  const BTC = 'BTC/USDT:USDT';
  const ETH = 'ETH/USDT:USDT';
  async function swapSetup() {
    h = await startHarness({ marketType: 'swap' });
    await h.adapter.loadMarkets();
    const database = await target.open();
    const store = new DrizzleTradingStore(database.db);
    const bus = new EventBus();
    const events: DomainEvent[] = [];
    bus.onAny((e) => void events.push(e));
    const portfolio = new Portfolio(10_000);
    const logger = pino({ level: 'silent' });
    const orders = new OrderManager({ execution: h.adapter, store, clock: systemClock, mode: 'live', logger, portfolio, bus, lookupDelayMs: 0, account: 'binanceusdm' });
    const reconciler = new Reconciler({ execution: h.adapter, store, orders, portfolio, bus, clock: systemClock, logger, account: 'binanceusdm', symbols: [BTC, ETH], checkHoldings: false, checkPositions: true, adoptCash: false, marks: () => new Map([[BTC, 50_000], [ETH, 3_000]]) });
    const entry = (symbol: string, side: 'buy' | 'sell', quantity: number): OrderPlan => ({ kind: 'entry', symbol, side, quantity, reduceOnly: false, reason: 'swap reconcile test' });
    return { h, store, orders, portfolio, reconciler, events, entry };
  }

  it('agrees with the venue after tradeops’ own fills: nothing adopted, nothing external', async () => {
    const { orders, reconciler, portfolio, entry } = await swapSetup();
    expect((await orders.submit(entry(BTC, 'buy', 0.02), 's')).kind).toBe('placed');
    expect((await orders.submit(entry(ETH, 'sell', 0.1), 's')).kind).toBe('placed');
    const run = await reconciler.run();
    expect(run).toMatchObject({ adopted: [], mismatches: [] });
    expect(run.externalPositions ?? []).toEqual([]);
    expect(portfolio.get(BTC)!.quantity).toBeCloseTo(0.02, 10);
    expect(portfolio.get(ETH)!.quantity).toBeCloseTo(-0.1, 10);
  });

  it('a long closed partly and a short closed entirely outside tradeops (by hand, liquidated): the venue’s figures are adopted, Σ fills kept, once', async () => {
    const { h, store, orders, reconciler, portfolio, events, entry } = await swapSetup();
    await orders.submit(entry(BTC, 'buy', 0.02), 's');
    await orders.submit(entry(ETH, 'sell', 0.1), 's');
    const futures = h.local.state.futures;
    futures.position('BTCUSDT').amt = 0.015; // 0.005 closed on the website
    futures.position('ETHUSDT').amt = 0; // the short was liquidated
    const run = await reconciler.run();
    expect(run.adopted).toEqual([
      { symbol: BTC, from: expect.closeTo(0.02, 10), to: expect.closeTo(0.015, 10) },
      { symbol: ETH, from: expect.closeTo(-0.1, 10), to: expect.closeTo(0, 10) },
    ]);
    expect(run.mismatches).toEqual([]);
    expect(portfolio.get(BTC)!.quantity).toBeCloseTo(0.015, 10);
    expect(portfolio.get(ETH)?.quantity ?? 0).toBeCloseTo(0, 10);
    const net = await store.netFilledQuantities('binanceusdm');
    expect(net.get(BTC)!.net).toBeCloseTo(0.015, 10);
    expect(net.get(ETH)!.net).toBeCloseTo(0, 10);
    expect(events.some((e) => e.type === 'reconciliation' && e.severity === 'warning' && e.lines.some((l) => l.includes('holds less')))).toBe(true);
    // Nothing was sent to the exchange to do it (the adjustment is booked, not traded).
    expect(h.local.count('POST /fapi/v1/order')).toBe(2);
    const again = await reconciler.run();
    expect(again.adopted).toEqual([]);
    expect(again.externalPositions ?? []).toEqual([]);
  });

  it('a position tradeops did not open, and more than tradeops bought, are reported as external and never touched', async () => {
    const { h, orders, reconciler, portfolio, events, entry } = await swapSetup();
    await orders.submit(entry(BTC, 'buy', 0.01), 's');
    const futures = h.local.state.futures;
    futures.position('BTCUSDT').amt = 0.03; // someone added 0.02 by hand
    Object.assign(futures.position('ETHUSDT'), { amt: -0.5, entryPrice: 3_000 }); // a short opened on the website
    const run = await reconciler.run();
    expect(run.externalPositions).toEqual([
      { symbol: BTC, quantity: expect.closeTo(0.02, 10) },
      { symbol: ETH, quantity: expect.closeTo(-0.5, 10) },
    ]);
    expect(run.adopted).toEqual([]);
    expect(run.mismatches).toEqual([]);
    expect(portfolio.get(BTC)!.quantity).toBeCloseTo(0.01, 10);
    expect(portfolio.get(ETH)).toBeUndefined();
    expect(futures.position('ETHUSDT').amt).toBe(-0.5);
    expect(h.local.count('POST /fapi/v1/order')).toBe(1);
    const alert = events.filter((e) => e.type === 'reconciliation') as Array<Extract<DomainEvent, { type: 'reconciliation' }>>;
    expect(alert.flatMap((a) => a.lines).join('\n')).toMatch(/external position -0\.5 ETH\/USDT:USDT left alone/);
    // Reported once: a second run finds the same and says nothing new.
    const before = alert.length;
    await reconciler.run();
    expect(events.filter((e) => e.type === 'reconciliation').length).toBe(before);
  });
});
