import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { Fill, OrderReport } from '../../../src/domain/orders.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { applyReportFills } from '../../../src/engine/fill-processor.ts';
import { memoryOrderStore } from './support/order-venue.ts';

const fill = (tradeId: string, side: 'buy' | 'sell', amount: number, price: number, fee: number, ts = 1_000): Fill =>
  ({ tradeId, clientOrderId: `c-${tradeId}`, symbol: 'BTC/USDT', side, price, amount, fee, feeCurrency: 'USDT', ts });
const report = (fills: Fill[]): OrderReport => ({
  clientOrderId: fills[0]!.clientOrderId, exchangeOrderId: 'x', symbol: 'BTC/USDT', side: fills[0]!.side, type: 'market', status: 'filled',
  amount: fills.reduce((s, f) => s + f.amount, 0), filled: fills.reduce((s, f) => s + f.amount, 0), fee: fills.reduce((s, f) => s + f.fee, 0), fills, ts: fills[0]!.ts,
});

function setup(cash = 10_000) {
  const portfolio = new Portfolio(cash);
  const store = memoryOrderStore();
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  return { portfolio, store, events, deps: { portfolio, store, bus, exchange: 'test', strategy: 'strat' } };
}

describe('fill processing', () => {
  it('an entry fill opens the position with its protection, is stored with position and cash, and announced', async () => {
    const { portfolio, store, events, deps } = setup();
    await applyReportFills(report([fill('t1', 'buy', 2, 100, 0.2)]), { kind: 'entry', stopLoss: 90, takeProfit: 130, reason: 'cross up' }, deps);
    expect(portfolio.get('BTC/USDT')).toMatchObject({ quantity: 2, entryPrice: 100, stopLoss: 90, takeProfit: 130 });
    expect(portfolio.cash).toBeCloseTo(9_999.8, 10);
    expect(store.fills).toEqual([expect.objectContaining({ tradeId: 't1', exchange: 'test', realizedPnl: 0 })]);
    expect(store.saved.positions.get('BTC/USDT')).toMatchObject({ quantity: 2, stopLoss: 90 });
    expect(store.saved.cash).toBeCloseTo(9_999.8, 10);
    expect(events.map((e) => e.type)).toEqual(['fill', 'entry']);
    expect(events[1]).toEqual({ type: 'entry', ts: 1_000, symbol: 'BTC/USDT', side: 'long', price: 100, quantity: 2, clientOrderId: 'c-t1', strategy: 'strat', reason: 'cross up' });
  });

  it('an exit fill announces the exit with P&L net of the exit fee, and its percentage of the entry value', async () => {
    const { portfolio, events, deps } = setup();
    await applyReportFills(report([fill('t1', 'buy', 2, 100, 0.2)]), { kind: 'entry', reason: 'in' }, deps);
    events.length = 0;
    await applyReportFills(report([fill('t2', 'sell', 2, 110, 0.22, 2_000)]), { kind: 'exit', reason: 'take profit' }, deps);
    expect(portfolio.get('BTC/USDT')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['fill', 'exit']);
    const exit = events[1] as Extract<DomainEvent, { type: 'exit' }>;
    expect(exit).toMatchObject({ ts: 2_000, symbol: 'BTC/USDT', side: 'long', price: 110, quantity: 2, reason: 'take profit', clientOrderId: 'c-t2' });
    expect(exit.pnl).toBeCloseTo(20 - 0.22, 10);
    expect(exit.pnlPct).toBeCloseTo(((20 - 0.22) / 200) * 100, 10);
    expect(portfolio.cash).toBeCloseTo(10_000 - 0.2 + 20 - 0.22, 10);
  });

  it('a short that is covered reports a short exit; a flip reports the exit and the new entry', async () => {
    const { events, deps, portfolio } = setup();
    await applyReportFills(report([fill('s1', 'sell', 1, 100, 0)]), { kind: 'entry', reason: 'short' }, deps);
    expect(events.at(-1)).toMatchObject({ type: 'entry', side: 'short', quantity: 1 });
    events.length = 0;
    await applyReportFills(report([fill('s2', 'buy', 3, 90, 0)]), undefined, deps);
    expect(events.map((e) => e.type)).toEqual(['fill', 'exit', 'entry']);
    expect(events[1]).toMatchObject({ side: 'short', quantity: 1, pnl: 10, pnlPct: 10, reason: 'exit' });
    expect(events[2]).toMatchObject({ side: 'long', quantity: 2, price: 90, reason: undefined });
    expect(portfolio.get('BTC/USDT')).toMatchObject({ quantity: 2, entryPrice: 90 });
  });

  it('adding to a position is neither an entry nor an exit', async () => {
    const { events, deps, portfolio } = setup();
    await applyReportFills(report([fill('a1', 'buy', 1, 100, 0)]), { kind: 'entry', stopLoss: 95, reason: 'in' }, deps);
    events.length = 0;
    await applyReportFills(report([fill('a2', 'buy', 1, 120, 0)]), { kind: 'entry', stopLoss: 99, reason: 'more' }, deps);
    expect(events.map((e) => e.type)).toEqual(['fill']);
    expect(portfolio.get('BTC/USDT')).toMatchObject({ quantity: 2, entryPrice: 110, stopLoss: 99 });
  });

  it('a report seen twice changes nothing the second time: no double position, cash or event', async () => {
    const { portfolio, store, events, deps } = setup();
    const r = report([fill('d1', 'buy', 1, 100, 0.1), fill('d2', 'buy', 1, 102, 0.1)]);
    await applyReportFills(r, { kind: 'entry', reason: 'in' }, deps);
    const cash = portfolio.cash;
    const position = { ...portfolio.get('BTC/USDT') }; // a copy: get() returns the live object
    const n = events.length;
    await applyReportFills(r, { kind: 'entry', reason: 'in' }, deps);
    expect(portfolio.cash).toBe(cash);
    expect(portfolio.get('BTC/USDT')).toEqual(position);
    expect(events).toHaveLength(n);
    expect(store.fills.map((f) => f.tradeId)).toEqual(['d1', 'd2']);
  });

  it('an exit with zero entry value reports 0 %', async () => {
    const { events, deps } = setup();
    await applyReportFills(report([fill('z1', 'buy', 1, 0, 0)]), { kind: 'entry', reason: 'in' }, deps);
    await applyReportFills(report([fill('z2', 'sell', 1, 5, 0)]), { kind: 'exit', reason: 'out' }, deps);
    expect(events.find((e) => e.type === 'exit')).toMatchObject({ pnl: 5, pnlPct: 0 });
  });
});
