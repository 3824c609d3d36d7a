import { describe, expect, it } from 'vitest';
import type { TradingStore } from '../../src/ports/store.ts';

/**
 * What every TradingStore must do, whatever the database behind it. Run by
 * tests/integration/db/trading-store.test.ts on PGlite and on PostgreSQL.
 */
export function describeTradingStoreContract(name: string, makeStore: () => Promise<{ store: TradingStore; done(): Promise<void> }>): void {
  describe(`TradingStore contract: ${name}`, () => {
    it('writes an order ahead, updates it, and lists it by status', async () => {
      const { store, done } = await makeStore();
      try {
        await store.insertOrder({ clientOrderId: 'to-1', exchange: 'sim', mode: 'paper', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.12345678, reduceOnly: false, status: 'pending', filled: 0, fee: 0, strategy: 's', reason: 'r', intent: { kind: 'entry' }, createdAt: 1, updatedAt: 1 });
        expect((await store.getOrder('to-1'))!.status).toBe('pending');
        await store.updateOrder('to-1', { status: 'filled', filled: 0.12345678, avgPrice: 60123.45, fee: 0.5, exchangeOrderId: 'x1', updatedAt: 2 });
        const o = (await store.getOrder('to-1'))!;
        expect(o).toMatchObject({ status: 'filled', filled: 0.12345678, avgPrice: 60123.45, exchangeOrderId: 'x1', intent: { kind: 'entry' } });
        expect((await store.ordersByStatus(['filled'])).map((x) => x.clientOrderId)).toEqual(['to-1']);
        expect(await store.ordersByStatus(['pending'])).toEqual([]);
        expect(await store.getOrder('nope')).toBeUndefined();
      } finally {
        await done();
      }
    });

    it('writes several orders ahead in one call (insertOrders), all or none', async () => {
      const { store, done } = await makeStore();
      try {
        if (!store.insertOrders) return;
        const row = (id: string, symbol: string) => ({ clientOrderId: id, exchange: 'sim', mode: 'live' as const, symbol, side: 'sell' as const, type: 'market' as const, amount: 1.5, reduceOnly: true, status: 'pending' as const, filled: 0, fee: 0, strategy: 'kill-all', reason: 'kill-all #1', createdAt: 3, updatedAt: 3 });
        await store.insertOrders([row('ka-a', 'BTC/USDT'), row('ka-b', 'ETH/USDT')]);
        expect((await store.ordersByStatus(['pending'])).map((o) => o.clientOrderId).sort()).toEqual(['ka-a', 'ka-b']);
        // A duplicate id in the batch writes nothing of it.
        await expect(store.insertOrders([row('ka-c', 'SOL/USDT'), row('ka-a', 'BTC/USDT')])).rejects.toThrow();
        expect(await store.getOrder('ka-c')).toBeUndefined();
        await store.insertOrders([]);
      } finally {
        await done();
      }
    });

    it('records a fill with its position and cash atomically, and a duplicate fill changes nothing', async () => {
      const { store, done } = await makeStore();
      try {
        await store.insertOrder({ clientOrderId: 'to-2', exchange: 'sim', mode: 'paper', symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: 2, reduceOnly: false, status: 'filled', filled: 2, fee: 0.2, createdAt: 5, updatedAt: 5 });
        const fill = { tradeId: 't-1', clientOrderId: 'to-2', exchange: 'sim', symbol: 'ETH/USDT', side: 'buy' as const, price: 3000.5, amount: 2, fee: 0.2, feeCurrency: 'USDT', realizedPnl: 0, ts: 10 };
        const position = { symbol: 'ETH/USDT', quantity: 2, entryPrice: 3000.5, realizedPnl: -0.2, openedAt: 10, stopLoss: 2900 };
        expect(await store.recordFill(fill, position, 9999.8)).toBe(true);
        expect(await store.recordFill(fill, { ...position, quantity: 4 }, 1)).toBe(false);
        expect(await store.positions('sim')).toEqual([{ ...position, takeProfit: undefined }]);
        expect(await store.cash('sim')).toBeCloseTo(9999.8, 9);
        expect(await store.recentFills(5)).toHaveLength(1);
        expect(await store.fillsSince(11)).toHaveLength(0);
        await store.savePosition('sim', 'ETH/USDT', undefined);
        expect(await store.positions('sim')).toEqual([]);
      } finally {
        await done();
      }
    });

    it('applies an order update atomically: a duplicate fill or a moved status writes nothing', async () => {
      const { store, done } = await makeStore();
      try {
        await store.insertOrder({ clientOrderId: 'to-3', exchange: 'sim', mode: 'paper', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 1, reduceOnly: false, status: 'pending', filled: 0, fee: 0, createdAt: 1, updatedAt: 1 });
        const fill = (tradeId: string, amount: number) => ({ tradeId, clientOrderId: 'to-3', exchange: 'sim', symbol: 'BTC/USDT', side: 'buy' as const, price: 100, amount, fee: 0, feeCurrency: 'USDT', realizedPnl: 0, ts: 20 });
        const position = { symbol: 'BTC/USDT', quantity: 0.4, entryPrice: 100, realizedPnl: 0, openedAt: 20 };
        await store.applyOrderUpdate({ clientOrderId: 'to-3', expectedStatus: 'pending', patch: { status: 'partially_filled', filled: 0.4 }, fills: [fill('a', 0.4)], positionAfter: position, cashAfter: 960 });
        expect((await store.getOrder('to-3'))!.status).toBe('partially_filled');
        // A stale expected status: refused, nothing written.
        await expect(store.applyOrderUpdate({ clientOrderId: 'to-3', expectedStatus: 'pending', patch: { status: 'filled' }, fills: [fill('b', 0.6)], positionAfter: { ...position, quantity: 1 }, cashAfter: 900 })).rejects.toMatchObject({ code: 'CONFLICT' });
        // One new fill and one already stored: the whole update is refused.
        await expect(store.applyOrderUpdate({ clientOrderId: 'to-3', expectedStatus: 'partially_filled', patch: { status: 'filled' }, fills: [fill('b', 0.6), fill('a', 0.4)], positionAfter: { ...position, quantity: 1.4 }, cashAfter: 800 })).rejects.toMatchObject({ code: 'CONFLICT' });
        expect((await store.getOrder('to-3'))!.status).toBe('partially_filled');
        expect((await store.fillsOfOrder('to-3')).map((f) => f.tradeId)).toEqual(['a']);
        expect((await store.positions('sim'))[0]!.quantity).toBeCloseTo(0.4, 12);
        expect(await store.cash('sim')).toBeCloseTo(960, 9);
        await store.applyOrderUpdate({ clientOrderId: 'to-3', expectedStatus: 'partially_filled', patch: { status: 'filled', filled: 1 }, fills: [fill('b', 0.6)], positionAfter: { ...position, quantity: 1 }, cashAfter: 900 });
        expect((await store.getOrder('to-3'))!.status).toBe('filled');
        expect((await store.netFilledQuantities('sim')).get('BTC/USDT')!.net).toBeCloseTo(1, 12);
        expect((await store.ordersSince('sim', 0)).map((o) => o.clientOrderId)).toEqual(['to-3']);
        await expect(store.applyOrderUpdate({ clientOrderId: 'nope', expectedStatus: 'pending', patch: {}, fills: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      } finally {
        await done();
      }
    });

    it('keeps trading state, strategy state, decisions and equity snapshots', async () => {
      const { store, done } = await makeStore();
      try {
        expect(await store.loadTradingState()).toBeUndefined();
        await store.saveTradingState({ state: 'HALTED', reason: 'ban', changedBy: 'system', changedAt: 5, haltedUntil: 99 });
        await store.saveTradingState({ state: 'REDUCING', reason: 'pause', changedBy: 'u', changedAt: 6 });
        expect(await store.loadTradingState()).toEqual({ state: 'REDUCING', reason: 'pause', changedBy: 'u', changedAt: 6, haltedUntil: undefined });
        await store.saveStrategyState('s', 'BTC/USDT', { n: 1 });
        await store.saveStrategyState('s', 'BTC/USDT', { n: 2, nested: [1, 'a'] });
        expect(await store.loadStrategyState('s', 'BTC/USDT')).toEqual({ n: 2, nested: [1, 'a'] });
        expect(await store.loadStrategyState('s', 'ETH/USDT')).toBeUndefined();
        await store.insertDecision({ ts: 1, strategy: 's', symbol: 'BTC/USDT', intent: { kind: 'exit' }, verdict: 'denied', reasons: [{ code: 'NO_POSITION', message: 'none' }] });
        await store.snapshotEquity({ ts: 1000, equity: 10_000.5, cash: 9_000, unrealizedPnl: 1000.5 });
        await store.snapshotEquity({ ts: 1000, equity: 10_001, cash: 9_000, unrealizedPnl: 1001 });
        await store.snapshotEquity({ ts: 2000, equity: 10_002, cash: 9_000, unrealizedPnl: 1002 });
        expect((await store.equitySnapshots(1500)).map((s) => s.equity)).toEqual([10_002]);
        expect((await store.equitySnapshots(0)).map((s) => s.equity)).toEqual([10_001, 10_002]);
      } finally {
        await done();
      }
    });
  });
}
