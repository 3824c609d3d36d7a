import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { Fill, OrderReport } from '../../../src/domain/orders.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { settleReport, type SettleDeps } from '../../../src/engine/fill-processor.ts';
import type { OrderRecord, TradingStore } from '../../../src/ports/store.ts';
import { databaseTargets } from '../../support/databases.ts';

const order = (id: string, amount = 1): OrderRecord => ({ clientOrderId: id, exchange: 'ex', mode: 'live', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount, reduceOnly: false, status: 'pending', filled: 0, fee: 0, strategy: 's', reason: 'r', intent: { kind: 'entry', stopLoss: 90 }, createdAt: 1, updatedAt: 1 });
const fill = (id: string, tradeId: string, amount: number, price = 100): Fill => ({ tradeId, clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', price, amount, fee: 0.01, feeCurrency: 'USDT', ts: 10 });
const report = (id: string, filled: number, fills: Fill[], status: OrderReport['status'] = 'filled'): OrderReport => ({ clientOrderId: id, exchangeOrderId: `x-${id}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', status, amount: 1, filled, avgPrice: 100, fee: 0.01, fills, ts: 10 });

describe.each(databaseTargets())('settleReport on $name', (target) => {
  let database: Database;
  let store: DrizzleTradingStore;
  let deps: SettleDeps;
  let events: DomainEvent[];
  let logLines: string[];
  beforeEach(async () => {
    database = await target.open();
    store = new DrizzleTradingStore(database.db, () => 50);
    events = [];
    logLines = [];
    const bus = new EventBus();
    bus.onAny((e) => void events.push(e));
    deps = { portfolio: new Portfolio(1000), store, bus, exchange: 'ex', logger: pino({ level: 'info' }, { write: (l: string) => void logLines.push(l) }) };
  });
  afterAll(() => target.cleanup());

  it('writes status, fills, position and cash together; the same report twice changes nothing', async () => {
    await store.insertOrder(order('a'));
    const r = report('a', 1, [fill('a', 't1', 0.4), fill('a', 't2', 0.6)]);
    expect((await settleReport((await store.getOrder('a'))!, r, deps)).fills).toHaveLength(2);
    const again = await settleReport((await store.getOrder('a'))!, r, deps);
    expect(again).toMatchObject({ status: 'filled', fills: [] });
    expect((await store.getOrder('a'))!).toMatchObject({ status: 'filled', filled: 1, exchangeOrderId: 'x-a' });
    expect((await store.fillsOfOrder('a')).map((f) => f.tradeId)).toEqual(['t1', 't2']);
    expect(deps.portfolio.get('BTC/USDT')).toMatchObject({ quantity: 1, stopLoss: 90 });
    expect((await store.positions('ex'))[0]).toMatchObject({ quantity: 1, stopLoss: 90 });
    expect(await store.cash('ex')).toBeCloseTo(deps.portfolio.cash, 9);
    expect(events.filter((e) => e.type === 'fill')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'entry')).toHaveLength(1);
  });

  it('refuses and logs an over-fill, keeping the fills up to the order amount', async () => {
    await store.insertOrder(order('b'));
    const res = await settleReport((await store.getOrder('b'))!, report('b', 1, [fill('b', 't1', 0.7), fill('b', 't2', 0.3), fill('b', 't3', 0.5)]), deps);
    expect(res.refused.map((f) => f.tradeId)).toEqual(['t3']);
    expect((await store.netFilledQuantities('ex')).get('BTC/USDT')!.net).toBeCloseTo(1, 12);
    expect(deps.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(1, 12);
    expect(logLines.some((l) => l.includes('over-fill refused') && l.includes('t3'))).toBe(true);
  });

  it('never stores an order final without its fills: it stays open-ended until they arrive', async () => {
    await store.insertOrder(order('c'));
    const partial = await settleReport((await store.getOrder('c'))!, report('c', 1, [fill('c', 't1', 0.5)]), deps);
    expect(partial).toMatchObject({ status: 'unknown', missingFills: true });
    expect((await store.getOrder('c'))!.status).toBe('unknown');
    const full = await settleReport((await store.getOrder('c'))!, report('c', 1, [fill('c', 't1', 0.5), fill('c', 't2', 0.5)]), deps);
    expect(full).toMatchObject({ status: 'filled', missingFills: false });
    expect(full.fills.map((f) => f.tradeId)).toEqual(['t2']);
    expect(deps.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(1, 12);
  });

  it('adds fills missing from an order already stored final (the old two-transaction bug) without moving its status', async () => {
    await store.insertOrder({ ...order('d'), status: 'filled', filled: 1 });
    const res = await settleReport((await store.getOrder('d'))!, report('d', 1, [fill('d', 't9', 1)]), deps);
    expect(res).toMatchObject({ status: 'filled' });
    expect(await store.fillsOfOrder('d')).toHaveLength(1);
    expect((await store.positions('ex'))[0]!.quantity).toBeCloseTo(1, 12);
  });

  it('rolls the portfolio back when the transaction fails', async () => {
    await store.insertOrder(order('e'));
    const failing: TradingStore = Object.assign(Object.create(store) as TradingStore, {
      applyOrderUpdate: async () => {
        throw new Error('connection lost');
      },
    });
    await expect(settleReport((await store.getOrder('e'))!, report('e', 1, [fill('e', 't1', 1)]), { ...deps, store: failing })).rejects.toThrow('connection lost');
    expect(deps.portfolio.get('BTC/USDT')).toBeUndefined();
    expect(deps.portfolio.cash).toBe(1000);
    expect(await store.fillsOfOrder('e')).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('applies fills in time order whatever order the venue lists them, so the later one is the one refused past the amount', async () => {
    await store.insertOrder(order('f'));
    const late = { ...fill('f', 't-late', 0.6), ts: 30 };
    const early = { ...fill('f', 't-early', 0.7), ts: 10 };
    const mid = { ...fill('f', 't-mid', 0.3), ts: 20 };
    const res = await settleReport((await store.getOrder('f'))!, report('f', 1, [late, early, mid]), deps);
    expect(res.fills.map((f) => f.tradeId)).toEqual(['t-early', 't-mid']);
    expect(res.refused.map((f) => f.tradeId)).toEqual(['t-late']);
  });

  it('stores the larger of the reported and the accounted filled amount', async () => {
    await store.insertOrder(order('g'));
    // The venue's summary lags its own trades: 0 reported filled, two trades listed.
    await settleReport((await store.getOrder('g'))!, report('g', 0, [fill('g', 't1', 0.4), fill('g', 't2', 0.6)]), deps);
    expect((await store.getOrder('g'))!.filled).toBeCloseTo(1, 12);
  });

  it('a partial exit keeps the stop-loss and take-profit of what is left; only an entry sets them', async () => {
    await store.insertOrder({ ...order('h'), intent: { kind: 'entry', stopLoss: 90, takeProfit: 130 } });
    await settleReport((await store.getOrder('h'))!, report('h', 1, [fill('h', 't1', 1)]), deps);
    const exit: OrderRecord = { ...order('h-exit', 0.4), side: 'sell', reduceOnly: true, intent: { kind: 'exit' }, reason: 'trim' };
    await store.insertOrder(exit);
    const sold = { ...fill('h-exit', 't2', 0.4, 110), side: 'sell' as const, ts: 20 };
    await settleReport((await store.getOrder('h-exit'))!, { ...report('h-exit', 0.4, [sold]), side: 'sell', amount: 0.4 }, deps);
    expect(deps.portfolio.get('BTC/USDT')).toMatchObject({ quantity: 0.6, stopLoss: 90, takeProfit: 130 });
    // The exit is announced with its side and profit; no new entry is.
    const exitEvent = events.find((e) => e.type === 'exit');
    expect(exitEvent).toMatchObject({ type: 'exit', side: 'long', quantity: 0.4, reason: 'trim', clientOrderId: 'h-exit' });
    expect(events.filter((e) => e.type === 'entry')).toHaveLength(1);
  });

  it('an entry announces no exit; a short entry is announced as short with its strategy', async () => {
    await store.insertOrder({ ...order('s'), side: 'sell', strategy: 'shorty', intent: { kind: 'entry' } });
    const sold = { ...fill('s', 't1', 1), side: 'sell' as const };
    await settleReport((await store.getOrder('s'))!, { ...report('s', 1, [sold]), side: 'sell' }, deps);
    expect(events.filter((e) => e.type === 'exit')).toHaveLength(0);
    expect(events.find((e) => e.type === 'entry')).toMatchObject({ side: 'short', quantity: 1, strategy: 'shorty' });
  });

  it('a final order settled again with nothing new writes nothing', async () => {
    await store.insertOrder(order('n'));
    const r = report('n', 1, [fill('n', 't1', 1)]);
    await settleReport((await store.getOrder('n'))!, r, deps);
    let writes = 0;
    const counting: TradingStore = Object.assign(Object.create(store) as TradingStore, {
      applyOrderUpdate: async (...a: Parameters<TradingStore['applyOrderUpdate']>) => {
        writes++;
        return store.applyOrderUpdate(...a);
      },
    });
    await settleReport((await store.getOrder('n'))!, r, { ...deps, store: counting });
    expect(writes).toBe(0);
  });
});
