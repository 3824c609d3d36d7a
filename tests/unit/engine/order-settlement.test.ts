import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlannedOrder } from '../../../src/risk/decide.ts';
import { OrderManager, REQUEST_WINDOW_MS } from '../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { memoryOrderStore, TestVenue } from './support/order-venue.ts';

const T0 = Date.UTC(2026, 0, 1);
const GRACE_MS = 60_000;
const plan: PlannedOrder = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', positionSide: 'long', quantity: 0.5004, allIn: false, reduceOnly: false, stopLoss: 90, reason: 'test entry' };

describe('order manager: submitting and settling unknown outcomes', () => {
  let venue: TestVenue;
  let store: ReturnType<typeof memoryOrderStore>;
  let clock: ManualClock;
  let manager: OrderManager;
  let portfolio: Portfolio;
  beforeEach(() => {
    venue = new TestVenue();
    store = memoryOrderStore();
    clock = new ManualClock(T0);
    portfolio = new Portfolio(10_000);
    manager = new OrderManager({ execution: venue, store, clock, mode: 'live', logger: pino({ level: 'silent' }), clientOrderIdPrefix: 'tt', portfolio, bus: new EventBus(), lookupDelayMs: 0, sleep: async (ms) => void clock.advance(ms) });
  });
  const status = async (id: string) => (await store.getOrder(id))?.status;

  it('writes the order before sending it, rounded down to the lot, and stores the venue report', async () => {
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(venue.placed).toHaveLength(1);
    expect(venue.placed[0]).toMatchObject({ clientOrderId: out.clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.5 });
    expect(out.clientOrderId).toMatch(/^tt-/);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled', filled: 0.5, avgPrice: 100, amount: 0.5, mode: 'live', exchange: 'test', strategy: 'strat', reason: 'test entry', createdAt: T0 });
  });

  it('while orders are held nothing is written or sent, one by one or as a batch; released, orders go out again', async () => {
    manager.hold('standby', 'this process is a standby');
    manager.hold('reconcile', 'reconciliation did not finish');
    expect(manager.isAccepting).toBe(false);
    const out = await manager.submit(plan, 'strat');
    expect(out).toEqual({ kind: 'rejected', clientOrderId: '', reason: 'new orders are held: this process is a standby; reconciliation did not finish' });
    const many = await Promise.all(await manager.submitMany([{ plan, clientOrderId: 'k-1' }, { plan, clientOrderId: 'k-2' }], 'kill-all'));
    expect(many.map((o) => o.kind)).toEqual(['rejected', 'rejected']);
    expect(venue.placed).toHaveLength(0);
    expect(await store.getOrder('k-1')).toBeUndefined();
    manager.release('standby');
    expect(manager.holds()).toEqual(['reconciliation did not finish']);
    manager.release('reconcile');
    expect(manager.isAccepting).toBe(true);
    expect((await manager.submit(plan, 'strat')).kind).toBe('placed');
    expect(venue.placed).toHaveLength(1);
  });

  it('an order the venue never received is sent again under the same clientOrderId, after a lookup found nothing', async () => {
    venue.next = 'lose-before';
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(venue.placed.map((r) => r.clientOrderId)).toEqual([out.clientOrderId, out.clientOrderId]);
    // Not found at once, nor once the request could no longer arrive: only then sent again.
    expect(venue.lookups).toEqual([out.clientOrderId, out.clientOrderId]);
    expect(await status(out.clientOrderId)).toBe('filled');
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.5, 12);
  });

  it('when the lookup fails too, the order stays unknown for the 60 s grace, then becomes rejected — never resent', async () => {
    venue.next = 'lose-before';
    venue.lookupError = new Error('venue down');
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('unknown');
    venue.lookupError = undefined;
    expect(await status(out.clientOrderId)).toBe('unknown');
    // The venue may simply not show the order yet: within the grace, nothing is decided.
    for (const at of [0, 1_000, 30_000, GRACE_MS - 1]) {
      clock.set(T0 + at);
      expect(await manager.settleUnknown()).toEqual([]);
      expect(await status(out.clientOrderId), `at +${at} ms`).toBe('unknown');
    }
    clock.set(T0 + GRACE_MS);
    expect(await manager.settleUnknown()).toEqual([]);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'rejected', reason: 'the venue never received this order' });
    expect(venue.placed).toHaveLength(1);
    expect(venue.lookups.every((id) => id === out.clientOrderId)).toBe(true);
    // Rejected is terminal: a later settlement pass leaves it alone.
    clock.set(T0 + 10 * GRACE_MS);
    await manager.settleUnknown();
    expect(await status(out.clientOrderId)).toBe('rejected');
  });

  it('an unknown order resent late (its row touched by the resend) is not called "never received" until that send\'s window has passed, even after the grace', async () => {
    const base = { exchange: 'test', mode: 'live' as const, symbol: 'BTC/USDT', side: 'buy' as const, type: 'market' as const, amount: 0.5, reduceOnly: false, status: 'unknown' as const, filled: 0, fee: 0, createdAt: T0 };
    await store.insertOrder({ ...base, clientOrderId: 'late', updatedAt: T0 + 55_000 });
    clock.set(T0 + GRACE_MS);
    await manager.settleUnknown();
    expect(await status('late')).toBe('unknown');
    clock.set(T0 + 55_000 + REQUEST_WINDOW_MS - 1);
    await manager.settleUnknown();
    expect(await status('late')).toBe('unknown');
    clock.set(T0 + 55_000 + REQUEST_WINDOW_MS);
    await manager.settleUnknown();
    expect(await status('late')).toBe('rejected');
  });

  it('an order the venue did receive is adopted from the lookup at once, never resent', async () => {
    venue.next = 'lose-after';
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled', filled: 0.5, exchangeOrderId: 'x-1', avgPrice: 100 });
    expect(store.fills.map((f) => f.tradeId)).toEqual([`t-${out.clientOrderId}`]);
    expect(venue.placed).toHaveLength(1);
  });

  it('a write-ahead row a crash left in pending is not looked up during the grace, then settled either way', async () => {
    const base = { exchange: 'test', mode: 'live' as const, symbol: 'BTC/USDT', side: 'buy' as const, type: 'market' as const, amount: 0.5, reduceOnly: false, status: 'pending' as const, filled: 0, fee: 0, createdAt: T0, updatedAt: T0 };
    await store.insertOrder({ ...base, clientOrderId: 'reached' });
    await store.insertOrder({ ...base, clientOrderId: 'lost' });
    venue.receive({ clientOrderId: 'reached', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.5 });
    clock.set(T0 + GRACE_MS - 1);
    expect(await manager.settleUnknown()).toEqual([]);
    expect(venue.lookups).toEqual([]); // the request may still be in flight
    expect([await status('reached'), await status('lost')]).toEqual(['pending', 'pending']);
    clock.set(T0 + GRACE_MS);
    const settled = await manager.settleUnknown();
    expect(settled.map((r) => r.clientOrderId)).toEqual(['reached']);
    expect([await status('reached'), await status('lost')]).toEqual(['filled', 'rejected']);
  });

  it('a submitted order the venue does not show yet waits for the grace too', async () => {
    await store.insertOrder({ clientOrderId: 'acked', exchange: 'test', mode: 'live', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.5, reduceOnly: false, status: 'submitted', filled: 0, fee: 0, createdAt: T0, updatedAt: T0 });
    clock.set(T0 + 5_000);
    await manager.settleUnknown();
    expect(venue.lookups).toEqual(['acked']);
    expect(await status('acked')).toBe('submitted');
    clock.set(T0 + GRACE_MS);
    await manager.settleUnknown();
    expect(await status('acked')).toBe('rejected');
  });

  it('a failed lookup leaves the order unknown for the next pass instead of guessing', async () => {
    venue.next = 'lose-after';
    venue.lookupError = new Error('venue down');
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('unknown');
    clock.set(T0 + 2 * GRACE_MS);
    expect(await manager.settleUnknown()).toEqual([]);
    expect(await status(out.clientOrderId)).toBe('unknown');
    venue.lookupError = undefined;
    await manager.settleUnknown();
    expect(await status(out.clientOrderId)).toBe('filled');
  });

  it('a refusal is stored as rejected with its reason; an unexpected error is stored and rethrown', async () => {
    venue.next = 'reject';
    const refused = await manager.submit(plan, 'strat');
    expect(refused).toMatchObject({ kind: 'rejected', reason: 'insufficient balance' });
    expect(await store.getOrder(refused.clientOrderId)).toMatchObject({ status: 'rejected', reason: 'insufficient balance' });
    venue.next = 'crash';
    await expect(manager.submit(plan, 'strat')).rejects.toThrow('socket hang up');
    const rows = await store.ordersByStatus(['rejected']);
    expect(rows.map((r) => r.reason).sort()).toEqual(['insufficient balance', 'socket hang up in the venue library']);
    expect(await store.ordersByStatus(['pending', 'unknown'])).toEqual([]);
  });
});
