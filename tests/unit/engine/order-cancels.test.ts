import { beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_WINDOW_MS, type OrderManager, type OrderPlan } from '../../../src/engine/order-manager.ts';
import type { ManualClock } from '../../../src/ports/clock.ts';
import type { Portfolio } from '../../../src/domain/portfolio.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { OrderStatus } from '../../../src/domain/orders.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import type { OrderRecord } from '../../../src/ports/store.ts';
import type { memoryOrderStore, TestVenue } from './support/order-venue.ts';
import { orderRig, T0 } from './support/order-rig.ts';

const GRACE_MS = 60_000;
const resting: OrderPlan = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', quantity: 0.5, reduceOnly: false, reason: 'rest', type: 'limit', price: 95 };

describe('order manager: cancels, refreshes and settlement of open orders', () => {
  let venue: TestVenue;
  let store: ReturnType<typeof memoryOrderStore>;
  let clock: ManualClock;
  let portfolio: Portfolio;
  let manager: OrderManager;
  let lines: Array<Record<string, unknown>>;
  beforeEach(() => {
    let make: ReturnType<typeof orderRig>['make'];
    ({ venue, store, clock, portfolio, lines, make } = orderRig());
    manager = make();
  });
  const status = async (id: string) => (await store.getOrder(id))?.status;
  /** A row as another process (or an earlier run) left it. */
  const row = (clientOrderId: string, s: OrderStatus, o: Partial<OrderRecord> = {}): Promise<void> =>
    store.insertOrder({ clientOrderId, exchange: 'test', mode: 'live', symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: 0.5, price: 95, reduceOnly: false, status: s, filled: 0, fee: 0, strategy: 'strat', createdAt: T0, updatedAt: T0, ...o });
  /** An order the venue holds, resting (sent there by an earlier run). */
  const onVenue = (clientOrderId: string) => venue.placeOrder({ clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: 0.5, price: 95 });

  it('a resting order is cancelled on the venue and stored canceled; a final order is not sent again', async () => {
    const out = await manager.submit(resting, 'strat');
    expect(await status(out.clientOrderId)).toBe('open');
    expect(await manager.cancel(out.clientOrderId)).toBe('canceled');
    expect(await status(out.clientOrderId)).toBe('canceled');
    expect(await manager.cancel(out.clientOrderId)).toBe('canceled');
    expect(venue.cancels).toEqual([out.clientOrderId]);
    expect(venue.lookups).toEqual([]);
  });

  it('cancelling an order tradeops does not know is NOT_FOUND', async () => {
    await expect(manager.cancel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no order nope' });
    expect(venue.cancels).toEqual([]);
  });

  it('an order that filled before the cancel arrived is accounted as filled, fills and position included', async () => {
    const out = await manager.submit(resting, 'strat');
    venue.fillResting(out.clientOrderId);
    expect(await manager.cancel(out.clientOrderId)).toBe('filled');
    expect(venue.lookups).toEqual([out.clientOrderId]);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled', filled: 0.5 });
    expect(store.fills.map((f) => f.tradeId)).toEqual([`t-${out.clientOrderId}`]);
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.5, 12);
    expect(lines.find((l) => l.msg === 'cancel failed or its outcome is unknown; looking the order up')).toMatchObject({ err: 'order is filled', clientOrderId: out.clientOrderId, symbol: 'BTC/USDT', strategy: 'strat' });
  });

  it('a cancel whose answer was lost is settled from a lookup', async () => {
    const out = await manager.submit(resting, 'strat');
    venue.cancelLoseAfter = true;
    expect(await manager.cancel(out.clientOrderId)).toBe('canceled');
    expect(venue.lookups).toEqual([out.clientOrderId]);
    expect(await status(out.clientOrderId)).toBe('canceled');
  });

  it('cancelling a write-ahead row the venue never received marks it rejected once its request can no longer arrive', async () => {
    await row('wa', 'pending', { createdAt: T0 - REQUEST_WINDOW_MS, updatedAt: T0 - REQUEST_WINDOW_MS });
    expect(await manager.cancel('wa')).toBe('rejected');
    expect(await store.getOrder('wa')).toMatchObject({ status: 'rejected', reason: 'the exchange never received this order' });
  });

  it('a write-ahead row sent less than the request window ago is not called "never received": the cancel fails and the row stays pending', async () => {
    await row('young', 'pending', { createdAt: T0 - REQUEST_WINDOW_MS + 1, updatedAt: T0 - REQUEST_WINDOW_MS + 1 });
    await expect(manager.cancel('young')).rejects.toMatchObject({ name: 'ExecutionError' });
    expect(await status('young')).toBe('pending');
    // A resend touched the row later: its window counts from then.
    await row('resent', 'pending', { createdAt: T0 - 60_000, updatedAt: T0 - 5_000 });
    await expect(manager.cancel('resent')).rejects.toMatchObject({ name: 'ExecutionError' });
    expect(await status('resent')).toBe('pending');
  });

  it('an open order the venue does not find cannot be cancelled: the refusal is rethrown and the row left open (however old)', async () => {
    await row('ghost', 'open', { createdAt: T0 - 3_600_000, updatedAt: T0 - 3_600_000 });
    await expect(manager.cancel('ghost')).rejects.toMatchObject({ name: 'ExecutionError', kind: 'rejected', message: 'Unknown order sent.' });
    expect(await status('ghost')).toBe('open');
  });

  it('an old write-ahead row whose cancel fails and whose lookup fails too stays pending: a failed lookup proves nothing', async () => {
    await row('old', 'pending', { createdAt: T0 - 3_600_000, updatedAt: T0 - 3_600_000 });
    venue.lookupError = new Error('venue down');
    await expect(manager.cancel('old')).rejects.toMatchObject({ name: 'ExecutionError' });
    expect(await status('old')).toBe('pending');
  });

  it('a cancel that fails while the lookup fails too is rethrown as it is; any other error becomes a retryable one', async () => {
    const out = await manager.submit(resting, 'strat');
    const timeout = new ExecutionError('retryable', 'cancel timed out');
    venue.cancelError = timeout;
    venue.lookupError = new Error('venue down');
    await expect(manager.cancel(out.clientOrderId)).rejects.toBe(timeout);
    venue.cancelError = new Error('socket closed');
    await expect(manager.cancel(out.clientOrderId)).rejects.toMatchObject({ name: 'ExecutionError', kind: 'retryable', message: `cancel of ${out.clientOrderId} failed: Error: socket closed` });
    expect(await status(out.clientOrderId)).toBe('open');
    // A pending row is not judged rejected on a lookup that failed.
    await row('wa', 'pending');
    await expect(manager.cancel('wa')).rejects.toMatchObject({ kind: 'retryable' });
    expect(await status('wa')).toBe('pending');
  });

  it('a cancel failing with a non-Error is logged as text', async () => {
    const out = await manager.submit(resting, 'strat');
    venue.cancelError = 'EPIPE' as unknown as Error;
    venue.fillResting(out.clientOrderId);
    expect(await manager.cancel(out.clientOrderId)).toBe('filled');
    expect(lines.find((l) => l.msg === 'cancel failed or its outcome is unknown; looking the order up')).toMatchObject({ err: 'EPIPE' });
  });

  it('refresh asks the venue about an order that is not final and stores its answer', async () => {
    expect(await manager.refresh('nope')).toBeUndefined();
    const out = await manager.submit(resting, 'strat');
    expect(await manager.refresh(out.clientOrderId)).toBe('open');
    venue.fillResting(out.clientOrderId);
    expect(await manager.refresh(out.clientOrderId)).toBe('filled');
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.5, 12);
    const asked = venue.lookups.length;
    expect(await manager.refresh(out.clientOrderId)).toBe('filled');
    expect(venue.lookups).toHaveLength(asked); // final: the venue is not asked again
    await row('unseen', 'submitted');
    expect(await manager.refresh('unseen')).toBe('submitted');
  });

  it('cancelAll cancels every open, partially filled, submitted and unknown order, and lists what could not be cancelled', async () => {
    const sent = await manager.submit(resting, 'strat');
    await row('part', 'partially_filled');
    await onVenue('part');
    await row('acked', 'submitted');
    await onVenue('acked');
    await row('lost', 'unknown'); // the venue has never seen it: the cancel fails and is reported
    await row('wa', 'pending', { createdAt: T0 }); // being sent right now, maybe: not cancelled
    await row('done', 'filled');
    const failed = await manager.cancelAll();
    expect(failed).toEqual([{ clientOrderId: 'lost', error: 'Unknown order sent.' }]);
    expect(venue.cancels.sort()).toEqual(['acked', 'lost', 'part', sent.clientOrderId].sort());
    expect([await status(sent.clientOrderId), await status('part'), await status('acked'), await status('lost'), await status('wa'), await status('done')]).toEqual(['canceled', 'canceled', 'canceled', 'unknown', 'pending', 'filled']);
    expect(await manager.cancelAll()).toEqual([{ clientOrderId: 'lost', error: 'Unknown order sent.' }]);
  });

  it('settling a report of an order tradeops never stored does nothing', async () => {
    await onVenue('foreign');
    const report = await venue.fetchOrder('foreign');
    expect(await manager.settle(report!)).toBeUndefined();
    expect(store.orders.size).toBe(0);
    expect(portfolio.get('BTC/USDT')).toBeUndefined();
  });

  describe('settleOpen', () => {
    it('asks only about orders of its own account', async () => {
      await row('mine', 'open');
      await row('theirs', 'open', { exchange: 'other-account' });
      await onVenue('mine');
      await onVenue('theirs');
      venue.fillResting('mine');
      venue.fillResting('theirs');
      const settled = await manager.settleOpen();
      expect(settled.map((r) => r.clientOrderId)).toEqual(['mine']);
      expect(venue.lookups).toEqual(['mine']);
      expect([await status('mine'), await status('theirs')]).toEqual(['filled', 'open']);
    });

    it('an open or partially filled order the venue does not show is left as it is, past the grace too', async () => {
      await row('o', 'open');
      await row('p', 'partially_filled', { filled: 0.1 });
      clock.set(T0 + 10 * GRACE_MS);
      expect(await manager.settleOpen()).toEqual([]);
      expect(venue.lookups.sort()).toEqual(['o', 'p']);
      expect([await status('o'), await status('p')]).toEqual(['open', 'partially_filled']);
    });

    it('a pending row is rejected exactly at the end of the grace, not a millisecond before', async () => {
      await row('wa', 'pending');
      clock.set(T0 + GRACE_MS - 1);
      await manager.settleOpen();
      expect(await status('wa')).toBe('pending');
      clock.set(T0 + GRACE_MS);
      await manager.settleOpen();
      expect(await store.getOrder('wa')).toMatchObject({ status: 'rejected', reason: 'the venue never received this order' });
    });

    it('an unknown order is looked up at once and rejected only after the grace', async () => {
      await row('u', 'unknown');
      clock.set(T0 + 1);
      await manager.settleOpen();
      expect(venue.lookups).toEqual(['u']);
      expect(await status('u')).toBe('unknown');
      clock.set(T0 + GRACE_MS);
      await manager.settleOpen();
      expect(await status('u')).toBe('rejected');
    });

    it('a venue or storage failure is logged and the pass goes on; an illegal transition is a bug and is thrown', async () => {
      await row('a', 'open');
      await onVenue('a');
      venue.fillResting('a');
      venue.lookupError = new AppError('UNAVAILABLE', 'exchange maintenance');
      clock.set(T0 + 2 * GRACE_MS);
      expect(await manager.settleOpen()).toEqual([]);
      expect(lines.find((l) => l.msg === 'could not settle order yet')).toMatchObject({ err: 'exchange maintenance', clientOrderId: 'a', symbol: 'BTC/USDT', strategy: 'strat', level: 40 });
      venue.lookupError = 'ETIMEDOUT' as unknown as Error;
      expect(await manager.settleOpen()).toEqual([]);
      expect(lines.filter((l) => l.msg === 'could not settle order yet')[1]).toMatchObject({ err: 'ETIMEDOUT' });
      venue.lookupError = undefined;
      expect((await manager.settleOpen()).map((r) => r.clientOrderId)).toEqual(['a']);
      expect(await status('a')).toBe('filled');

      // A venue answer that would be an illegal move (open → rejected) is a bug: thrown, not logged.
      await row('b', 'open');
      const b = await onVenue('b');
      venue.received.set('b', { ...b, status: 'rejected' });
      await expect(manager.settleOpen()).rejects.toMatchObject({ code: 'INTERNAL', message: 'illegal order transition open → rejected' });
    });
  });
});
