import { afterAll, describe, expect, it } from 'vitest';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { loadClosedTrades } from '../../../src/app/closed-trades.ts';
import type { OrderRecord } from '../../../src/ports/store.ts';
import { databaseTargets } from '../../support/databases.ts';

const order = (id: string, side: 'buy' | 'sell', reason: string, exchange = 'sim'): OrderRecord => ({ clientOrderId: id, exchange, mode: 'paper', symbol: 'BTC/USDT', side, type: 'market', amount: 0.1, reduceOnly: side === 'sell', status: 'pending', filled: 0, fee: 0, strategy: 'sma-cross', reason, createdAt: 1, updatedAt: 1 });

describe.each(databaseTargets())('closed trades from the stored fills and orders ($name)', (target) => {
  afterAll(() => target.cleanup());

  it('pairs entries and exits of this account, with the exit order\'s reason, newest first', async () => {
    const database = await target.open();
    const store = new DrizzleTradingStore(database.db, () => 50);
    const fill = async (o: OrderRecord, price: number, ts: number) => {
      await store.insertOrder(o);
      await store.recordFill({ tradeId: `t-${o.clientOrderId}`, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, price, amount: 0.1, fee: 0.5, feeCurrency: 'USDT', ts, exchange: o.exchange, realizedPnl: 0 }, undefined, 1000);
    };
    await fill(order('e1', 'buy', 'strategy entry'), 40_000, 1_000);
    await fill(order('x1', 'sell', 'stop-loss'), 39_000, 2_000);
    await fill(order('e2', 'buy', 'strategy entry'), 41_000, 3_000);
    await fill(order('x2', 'sell', 'strategy exit'), 43_000, 9_000);
    await fill(order('e3', 'buy', 'strategy entry'), 42_000, 10_000);
    // Another account on the same database does not mix in.
    await fill(order('o1', 'sell', 'other', 'binance'), 1, 5_000);

    const trades = await loadClosedTrades(store, 'sim');
    expect(trades.map((t) => [t.exitReason, t.entryPrice, t.exitPrice, t.exitTs - t.entryTs])).toEqual([
      ['strategy exit', 41_000, 43_000, 6_000],
      ['stop-loss', 40_000, 39_000, 1_000],
    ]);
    expect(trades[0]!.pnl).toBeCloseTo(200 - 1, 6);
    expect(trades[1]!.pnl).toBeCloseTo(-100 - 1, 6);
    expect(await loadClosedTrades(store, 'sim', 1)).toHaveLength(1);
  });
});
