import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { Fill, OrderReport } from '../../../src/domain/orders.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { settleReport, type SettleDeps } from '../../../src/engine/fill-processor.ts';
import type { OrderRecord } from '../../../src/ports/store.ts';
import { memoryOrderStore } from './support/order-venue.ts';

// settleReport's decisions (what is accepted, which status is stored, what is announced) on the order
// half of the store in memory; the same writes on PGlite and PostgreSQL: tests/integration/engine/fill-processor.test.ts.

const order = (id: string, o: Partial<OrderRecord> = {}): OrderRecord => ({ clientOrderId: id, exchange: 'ex', mode: 'live', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 1, reduceOnly: false, status: 'pending', filled: 0, fee: 0, strategy: 's', reason: 'r', intent: { kind: 'entry', stopLoss: 90 }, createdAt: 1, updatedAt: 1, ...o });
const fill = (id: string, tradeId: string, amount: number, o: Partial<Fill> = {}): Fill => ({ tradeId, clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', price: 100, amount, fee: 0.01, feeCurrency: 'USDT', ts: 10, ...o });
const report = (id: string, filled: number, fills: Fill[], o: Partial<OrderReport> = {}): OrderReport => ({ clientOrderId: id, exchangeOrderId: `x-${id}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', status: 'filled', amount: 1, filled, avgPrice: 100, fee: 0.01, fills, ts: 10, ...o });

describe('settleReport: accepting fills, choosing the status, announcing entries and exits', () => {
  let store: ReturnType<typeof memoryOrderStore>;
  let deps: SettleDeps;
  let events: DomainEvent[];
  let lines: Array<Record<string, unknown>>;
  beforeEach(() => {
    store = memoryOrderStore();
    events = [];
    lines = [];
    const bus = new EventBus();
    bus.onAny((e) => void events.push(e));
    deps = { portfolio: new Portfolio(1000), store, bus, exchange: 'ex', logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }) };
  });
  const settle = async (id: string, r: OrderReport) => settleReport((await store.getOrder(id))!, r, deps);

  describe('the over-fill tolerance', () => {
    it('fills that exceed the amount by floating-point noise (up to a billionth) are accepted; more is refused', async () => {
      await store.insertOrder(order('a'));
      // 0.1 + 0.2 + 0.7 = 1.0000000000000002: the venue's decimals, not an over-fill.
      const noisy = await settle('a', report('a', 1, [fill('a', 't1', 0.1), fill('a', 't2', 0.2), fill('a', 't3', 0.7)]));
      expect(noisy.fills).toHaveLength(3);
      expect(noisy.refused).toEqual([]);
      await store.insertOrder(order('b'));
      expect((await settle('b', report('b', 1, [fill('b', 'b1', 1 + 5e-10)]))).refused).toEqual([]);
      await store.insertOrder(order('c'));
      const over = await settle('c', report('c', 1, [fill('c', 'c1', 1 + 2e-9)]));
      expect(over.refused.map((f) => f.tradeId)).toEqual(['c1']);
      expect(over.fills).toEqual([]);
    });

    it('a fill of exactly the amount plus both tolerances is still accepted, and the order is final', async () => {
      await store.insertOrder(order('a'));
      const edge = 1 * (1 + 1e-9) + 1e-12;
      expect(await settle('a', report('a', edge, [fill('a', 't1', edge)]))).toMatchObject({ status: 'filled', refused: [], missingFills: false });
      await store.insertOrder(order('b'));
      // Reported filled exactly at the tolerance above what the fills show: not missing fills.
      expect(await settle('b', report('b', 0.5 * (1 + 1e-9) + 1e-12, [fill('b', 'b1', 0.5)]))).toMatchObject({ status: 'filled', missingFills: false });
    });

    it('on a tiny order the absolute tolerance (1e-12) decides', async () => {
      await store.insertOrder(order('a', { amount: 1e-4 }));
      expect((await settle('a', report('a', 1e-4, [fill('a', 't1', 1e-4 + 5e-13)], { amount: 1e-4 }))).refused).toEqual([]);
      await store.insertOrder(order('b', { amount: 1e-4 }));
      expect((await settle('b', report('b', 1e-4, [fill('b', 'b1', 1e-4 + 2e-12)], { amount: 1e-4 }))).refused).toHaveLength(1);
    });

    it('an over-fill is logged as an error with the trade, its amount, what was filled and the order amount', async () => {
      await store.insertOrder(order('a'));
      await settle('a', report('a', 1, [fill('a', 't1', 0.75), fill('a', 't2', 0.5, { ts: 20 })]));
      expect(lines.find((l) => l.msg === 'over-fill refused: this fill would exceed the order amount')).toMatchObject({
        level: 50,
        tradeId: 't2',
        amount: 0.5,
        alreadyFilled: 0.75,
        orderAmount: 1,
        clientOrderId: 'a',
        symbol: 'BTC/USDT',
        strategy: 's',
      });
    });

    it('fills already stored count towards the amount', async () => {
      await store.insertOrder(order('a', { type: 'limit' }));
      await settle('a', report('a', 0.75, [fill('a', 't1', 0.75)], { status: 'partially_filled' }));
      const res = await settle('a', report('a', 1, [fill('a', 't1', 0.75), fill('a', 't2', 0.5)]));
      expect(res.refused.map((f) => f.tradeId)).toEqual(['t2']);
      expect(deps.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.75, 12);
    });

    it('a trade listed twice in one report is accounted once', async () => {
      await store.insertOrder(order('a'));
      const res = await settle('a', report('a', 0.5, [fill('a', 't1', 0.5), fill('a', 't1', 0.5)], { status: 'partially_filled' }));
      expect(res.fills).toHaveLength(1);
      expect(res.refused).toEqual([]);
      expect(deps.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.5, 12);
    });
  });

  describe('missing fills', () => {
    it('a report whose filled amount matches its fills within a billionth is final', async () => {
      await store.insertOrder(order('a'));
      expect(await settle('a', report('a', 1 + 5e-10, [fill('a', 't1', 1)]))).toMatchObject({ status: 'filled', missingFills: false });
      await store.insertOrder(order('b', { amount: 1e-4 }));
      expect(await settle('b', report('b', 1e-4 + 5e-13, [fill('b', 'b1', 1e-4)], { amount: 1e-4 }))).toMatchObject({ status: 'filled', missingFills: false });
      await store.insertOrder(order('c', { amount: 1e-4 }));
      expect(await settle('c', report('c', 1e-4 + 2e-12, [fill('c', 'c1', 1e-4)], { amount: 1e-4 }))).toMatchObject({ status: 'unknown', missingFills: true });
    });

    it('an order not yet acknowledged stays unknown, an open one partially filled, with the reason why stored', async () => {
      for (const s of ['pending', 'submitted', 'unknown'] as const) {
        await store.insertOrder(order(s, { status: s }));
        expect((await settle(s, report(s, 1, [fill(s, `${s}-1`, 0.4)]))).status, s).toBe('unknown');
      }
      for (const s of ['open', 'partially_filled'] as const) {
        await store.insertOrder(order(s, { status: s, type: 'limit' }));
        expect((await settle(s, report(s, 1, [fill(s, `${s}-1`, 0.4)]))).status, s).toBe('partially_filled');
      }
      expect(await store.getOrder('open')).toMatchObject({ status: 'partially_filled', filled: 1, reason: 'the exchange reports 1 filled (filled); fills to fetch: 0.4 accounted' });
    });
  });

  describe('orders already final', () => {
    it('settled again with nothing new: nothing is written and the stored status is answered', async () => {
      await store.insertOrder(order('a'));
      const r = report('a', 1, [fill('a', 't1', 1)]);
      await settle('a', r);
      let writes = 0;
      const write = store.applyOrderUpdate.bind(store);
      store.applyOrderUpdate = async (u) => {
        writes++;
        return write(u);
      };
      expect(await settle('a', { ...r, avgPrice: 101, reason: 'late summary' })).toEqual({ status: 'filled', fills: [], refused: [], missingFills: false });
      expect(writes).toBe(0);
      expect(await store.getOrder('a')).toMatchObject({ avgPrice: 100 });
    });

    it('a fill that beat the cancel is accounted, and the order stays canceled', async () => {
      await store.insertOrder(order('a', { type: 'limit', status: 'canceled' }));
      const res = await settle('a', report('a', 0.3, [fill('a', 't1', 0.3)], { status: 'filled' }));
      expect(res).toMatchObject({ status: 'canceled', missingFills: false });
      expect(res.fills.map((f) => f.tradeId)).toEqual(['t1']);
      expect(await store.getOrder('a')).toMatchObject({ status: 'canceled', filled: 0.3 });
      expect(deps.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.3, 12);
    });
  });

  describe('what is stored with the order', () => {
    it('a partial exit keeps the stop-loss and take-profit of what is left', async () => {
      await store.insertOrder(order('in', { intent: { kind: 'entry', stopLoss: 90, takeProfit: 130 } }));
      await settle('in', report('in', 1, [fill('in', 't1', 1)]));
      await store.insertOrder(order('trim', { side: 'sell', amount: 0.4, intent: { kind: 'exit' } }));
      await settle('trim', report('trim', 0.4, [fill('trim', 't2', 0.4, { side: 'sell' })], { side: 'sell', amount: 0.4 }));
      expect(deps.portfolio.get('BTC/USDT')).toMatchObject({ quantity: 0.6, stopLoss: 90, takeProfit: 130 });
    });

    it('a failed write rolls memory back: no position, no cash change, no event', async () => {
      await store.insertOrder(order('a'));
      store.applyOrderUpdate = async () => {
        throw new Error('connection lost');
      };
      await expect(settle('a', report('a', 1, [fill('a', 't1', 1)]))).rejects.toThrow('connection lost');
      expect(deps.portfolio.get('BTC/USDT')).toBeUndefined();
      expect(deps.portfolio.cash).toBe(1000);
      expect(events).toEqual([]);
    });

    it('fills are applied oldest first whatever order the venue lists them in', async () => {
      await store.insertOrder(order('a'));
      const res = await settle('a', report('a', 1, [fill('a', 'late', 0.6, { ts: 30 }), fill('a', 'early', 0.7, { ts: 10 }), fill('a', 'mid', 0.3, { ts: 20 })]));
      expect(res.fills.map((f) => f.tradeId)).toEqual(['early', 'mid']);
      expect(res.refused.map((f) => f.tradeId)).toEqual(['late']);
    });

    it('the venue id, average price, fee, fee currency, price and reason of the report; a later report without a venue id keeps it', async () => {
      await store.insertOrder(order('a', { type: 'limit', price: 99 }));
      await settle('a', report('a', 0.4, [fill('a', 't1', 0.4)], { status: 'partially_filled', avgPrice: 98.5, fee: 0.04, feeCurrency: 'USDT', price: 98, reason: 'maker' }));
      expect(await store.getOrder('a')).toMatchObject({ status: 'partially_filled', exchangeOrderId: 'x-a', filled: 0.4, avgPrice: 98.5, fee: 0.04, feeCurrency: 'USDT', price: 98, reason: 'maker' });
      await settle('a', report('a', 1, [fill('a', 't1', 0.4), fill('a', 't2', 0.6)], { exchangeOrderId: '', status: 'filled' }));
      expect(await store.getOrder('a')).toMatchObject({ status: 'filled', exchangeOrderId: 'x-a', filled: 1 });
    });

    it('the position and cash after the fills are stored with them', async () => {
      await store.insertOrder(order('a'));
      await settle('a', report('a', 1, [fill('a', 't1', 1, { fee: 0.5 })]));
      expect(await store.positions('ex')).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', quantity: 1, entryPrice: 100, stopLoss: 90 })]);
      expect(await store.cash('ex')).toBe(999.5);
      await store.insertOrder(order('b', { side: 'sell', intent: { kind: 'exit' } }));
      await settle('b', report('b', 1, [fill('b', 't2', 1, { side: 'sell', price: 110, fee: 0.5 })], { side: 'sell' }));
      expect(await store.positions('ex')).toEqual([]);
      expect(await store.cash('ex')).toBe(1_009);
    });

    it('each fill is stored under the account with the profit it realised', async () => {
      await store.insertOrder(order('in'));
      await settle('in', report('in', 1, [fill('in', 't1', 1)]));
      await store.insertOrder(order('out', { side: 'sell', intent: { kind: 'exit' } }));
      await settle('out', report('out', 1, [fill('out', 't2', 1, { side: 'sell', price: 110 })], { side: 'sell' }));
      expect(store.fills.map((f) => [f.tradeId, f.exchange, f.clientOrderId, f.realizedPnl])).toEqual([
        ['t1', 'ex', 'in', 0],
        ['t2', 'ex', 'out', 10],
      ]);
    });

    it('a fill that opens a position sets the entry\'s protection; an order without an intent sets none', async () => {
      await store.insertOrder(order('a', { intent: { kind: 'entry', stopLoss: 90, takeProfit: 120 } }));
      await settle('a', report('a', 1, [fill('a', 't1', 1)]));
      expect(deps.portfolio.get('BTC/USDT')).toMatchObject({ stopLoss: 90, takeProfit: 120 });
      await store.insertOrder(order('b', { symbol: 'ETH/USDT', intent: undefined }));
      await settle('b', report('b', 1, [fill('b', 't2', 1, { symbol: 'ETH/USDT' })], { symbol: 'ETH/USDT' }));
      expect(deps.portfolio.get('ETH/USDT')!.stopLoss).toBeUndefined();
      expect(deps.portfolio.get('ETH/USDT')!.quantity).toBe(1);
    });

    it('an entry that flattens the position sets no protection on it', async () => {
      await store.insertOrder(order('a', { intent: { kind: 'exit' } }));
      await settle('a', report('a', 1, [fill('a', 't1', 1)]));
      await store.insertOrder(order('b', { side: 'sell', intent: { kind: 'entry', stopLoss: 150 } }));
      await settle('b', report('b', 1, [fill('b', 't2', 1, { side: 'sell' })], { side: 'sell' }));
      expect(deps.portfolio.get('BTC/USDT')).toBeUndefined();
    });
  });

  describe('events and log lines', () => {
    it('an exit announces side, price, quantity, profit after the fee and its percentage, reason and time', async () => {
      await store.insertOrder(order('in'));
      await settle('in', report('in', 1, [fill('in', 't1', 1)]));
      await store.insertOrder(order('out', { side: 'sell', amount: 0.4, intent: { kind: 'exit' }, reason: 'take profit' }));
      await settle('out', report('out', 0.4, [fill('out', 't2', 0.4, { side: 'sell', price: 110, fee: 0.04, ts: 77 })], { side: 'sell', amount: 0.4 }));
      const exit = events.find((e) => e.type === 'exit');
      // (110 − 100) × 0.4 = 4 realised, minus the 0.04 fee; on a basis of 100 × 0.4 = 40.
      expect(exit).toEqual({ type: 'exit', ts: 77, symbol: 'BTC/USDT', side: 'long', price: 110, quantity: 0.4, pnl: expect.closeTo(3.96, 10), pnlPct: expect.closeTo(9.9, 10), reason: 'take profit', clientOrderId: 'out' });
    });

    it('an exit whose fee was taken in the base coin announces its profit net of that fee valued in quote, as the ledger books it', async () => {
      await store.insertOrder(order('in'));
      await settle('in', report('in', 1, [fill('in', 't1', 1, { fee: 0 })]));
      const cash = deps.portfolio.cash;
      await store.insertOrder(order('out', { side: 'sell', amount: 0.5, intent: { kind: 'exit' } }));
      // Sold 0.5 at 110 paying 0.001 BTC: the position gives up 0.501, realising 0.501 × 10 = 5.01, and the
      // fee is 0.11 USDT at the fill price: 4.90 on a basis of 0.501 × 100.
      await settle('out', report('out', 0.5, [fill('out', 't2', 0.5, { side: 'sell', price: 110, fee: 0.001, feeCurrency: 'BTC' })], { side: 'sell', amount: 0.5 }));
      expect(deps.portfolio.cash - cash).toBeCloseTo(4.9, 9);
      expect(events.find((e) => e.type === 'exit')).toMatchObject({ pnl: expect.closeTo(4.9, 9), pnlPct: expect.closeTo((4.9 / 50.1) * 100, 9) });
    });

    it('a short closed at a loss is announced as a short exit; an exit without a stored reason says "exit"', async () => {
      await store.insertOrder(order('in', { side: 'sell' }));
      await settle('in', report('in', 1, [fill('in', 't1', 1, { side: 'sell' })], { side: 'sell' }));
      await store.insertOrder(order('out', { reason: undefined, intent: { kind: 'exit' } }));
      await settle('out', report('out', 1, [fill('out', 't2', 1, { price: 105, fee: 0 })]));
      expect(events.find((e) => e.type === 'exit')).toMatchObject({ side: 'short', quantity: 1, pnl: -5, pnlPct: -5, reason: 'exit' });
    });

    it('a fill that turns a long into a short announces the exit of the long and the entry of the short', async () => {
      await store.insertOrder(order('in'));
      await settle('in', report('in', 1, [fill('in', 't1', 1)]));
      await store.insertOrder(order('flip', { side: 'sell', amount: 1.5, strategy: undefined, reason: 'reverse' }));
      await settle('flip', report('flip', 1.5, [fill('flip', 't2', 1.5, { side: 'sell', price: 90, ts: 30 })], { side: 'sell', amount: 1.5 }));
      expect(events.filter((e) => e.type !== 'fill').map((e) => e.type)).toEqual(['entry', 'exit', 'entry']);
      expect(events.filter((e) => e.type === 'exit')[0]).toMatchObject({ side: 'long', quantity: 1, price: 90 });
      expect(events.filter((e) => e.type === 'entry')[1]).toEqual({ type: 'entry', ts: 30, symbol: 'BTC/USDT', side: 'short', price: 90, quantity: 0.5, clientOrderId: 'flip', strategy: 'manual', reason: 'reverse' });
    });

    it('adding to a position announces the fill but no new entry', async () => {
      await store.insertOrder(order('a'));
      await settle('a', report('a', 1, [fill('a', 't1', 1)]));
      await store.insertOrder(order('b'));
      await settle('b', report('b', 1, [fill('b', 't2', 1)]));
      expect(events.map((e) => e.type)).toEqual(['fill', 'entry', 'fill']);
      expect(events[0]).toMatchObject({ type: 'fill', ts: 10, fill: { tradeId: 't1', clientOrderId: 'a', symbol: 'BTC/USDT' } });
      expect(events[1]).toEqual({ type: 'entry', ts: 10, symbol: 'BTC/USDT', side: 'long', price: 100, quantity: 1, clientOrderId: 'a', strategy: 's', reason: 'r' });
    });

    it('logs the status change with what was filled at which price, and every fill', async () => {
      await store.insertOrder(order('a'));
      await settle('a', report('a', 1, [fill('a', 't1', 1, { fee: 0.1, feeCurrency: 'USDT' })], { avgPrice: 100.5 }));
      const mine = lines.filter((l) => l.clientOrderId === 'a');
      expect(mine.map((l) => l.msg)).toEqual(['order filled', 'fill']);
      expect(mine[0]).toMatchObject({ level: 30, from: 'pending', to: 'filled', filled: 1, avgPrice: 100.5, symbol: 'BTC/USDT', strategy: 's' });
      expect(mine[1]).toMatchObject({ level: 30, tradeId: 't1', side: 'buy', amount: 1, price: 100, fee: 0.1, feeCurrency: 'USDT' });
      // Settled again with nothing new: nothing logged.
      await settle('a', report('a', 1, [fill('a', 't1', 1)]));
      expect(lines.filter((l) => l.clientOrderId === 'a')).toHaveLength(2);
    });

    it('the status line shows the larger of the reported and the accounted filled amount', async () => {
      await store.insertOrder(order('a'));
      // The venue's summary lags its own trades: 0.4 reported filled, 1 in trades.
      await settle('a', report('a', 0.4, [fill('a', 't1', 0.4), fill('a', 't2', 0.6)]));
      expect(lines.find((l) => l.msg === 'order filled')).toMatchObject({ filled: 1 });
      expect((await store.getOrder('a'))!.filled).toBe(1);
    });

    it('a partial fill of an open order logs its fill without a status line when the status stays', async () => {
      await store.insertOrder(order('a', { type: 'limit', status: 'partially_filled' }));
      await settle('a', report('a', 0.5, [fill('a', 't1', 0.5)], { status: 'partially_filled' }));
      expect(lines.filter((l) => l.clientOrderId === 'a').map((l) => l.msg)).toEqual(['fill']);
    });
  });
});
