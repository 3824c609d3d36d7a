import { beforeEach, describe, expect, it } from 'vitest';
import type { OrderPlan } from '../../../src/engine/order-manager.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { orderRig, T0 } from './support/order-rig.ts';

const plan: OrderPlan = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', positionSide: 'long', quantity: 0.5, reduceOnly: false, reason: 'test entry' };

/**
 * The request window: "the venue does not know this clientOrderId" proves an order never arrived only
 * once its request can no longer arrive (ORDER_REQUEST_WINDOW_MS, 11 s after it left); until then the
 * lookup is repeated, never answered by a resend (a request still queued would execute next to it).
 */
describe('order manager: the request window before a resend', () => {
  let r = orderRig();
  beforeEach(() => {
    r = orderRig();
  });

  it('waits lookupDelayMs (1 s by default) before every lookup of a lost answer; "not found" waits out the rest of the request window (11 s by default)', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      r.clock.advance(ms);
    };
    r.venue.next = 'lose-before';
    await r.make({ lookupDelayMs: undefined, sleep }).submit(plan, 'strat');
    expect(sleeps).toEqual([1_000, 10_000]);
    r.venue.next = 'lose-after';
    await r.make({ lookupDelayMs: 250, sleep }).submit(plan, 'strat');
    expect(sleeps).toEqual([1_000, 10_000, 250]);
    r.venue.next = 'lose-before';
    await r.make({ lookupDelayMs: 250, requestWindowMs: 3_000, sleep }).submit(plan, 'strat');
    expect(sleeps).toEqual([1_000, 10_000, 250, 250, 2_750]);
    // A lookup that itself took the whole window, or longer: no further wait, no second lookup.
    for (const lookupDelayMs of [3_000, 5_000]) {
      r.venue.next = 'lose-before';
      r.venue.lookups.length = 0;
      sleeps.length = 0;
      await r.make({ lookupDelayMs, requestWindowMs: 3_000, sleep, maxCreateAttempts: 2 }).submit(plan, 'strat');
      expect(sleeps).toEqual([lookupDelayMs]);
      expect(r.venue.lookups).toHaveLength(1);
    }
  });

  it('a lost answer that was the venue\'s own rate-limit refusal (nothing of it queued) is resent after one lookup, without the window', async () => {
    const sleeps: number[] = [];
    r.venue.next = 'lose-before';
    r.venue.loseError = new ExecutionError('unknown-outcome', '429 too many requests', { retryAt: T0 + 1_000, refusedOnArrival: true });
    const out = await r.make({ sleep: async (ms) => void sleeps.push(ms) }).submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(r.venue.placed).toHaveLength(2);
    expect(r.venue.lookups).toEqual([out.clientOrderId]);
    expect(sleeps).toEqual([0]);
  });

  it('a request still queued at the venue when the first lookup finds nothing is found by the second: adopted, never sent twice', async () => {
    r.venue.next = 'lose-before';
    const fetch = r.venue.fetchOrder.bind(r.venue);
    r.venue.fetchOrder = async (id) => {
      // The venue executes the queued request between the two lookups.
      if (r.venue.lookups.length === 1) r.venue.receive(r.venue.placed[0]!);
      return fetch(id);
    };
    const out = await r.make().submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(r.venue.placed).toHaveLength(1);
    expect(r.venue.lookups).toEqual([out.clientOrderId, out.clientOrderId]);
    expect(await r.store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled' });
    expect(r.portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.5, 12);
  });

  it('a resend marks the row first, so a restart waits out the window of the last send, not the first', async () => {
    r.venue.next = 'lose-before';
    const manager = r.make({ maxCreateAttempts: 2 });
    const sentAt: number[] = [];
    const place = r.venue.placeOrder.bind(r.venue);
    r.venue.placeOrder = async (req) => {
      sentAt.push(r.clock.now());
      if (sentAt.length === 2) expect(await r.store.getOrder(req.clientOrderId)).toMatchObject({ status: 'unknown', updatedAt: r.clock.now(), reason: 'sent again (attempt 2): request timed out' });
      return place(req);
    };
    const out = await manager.submit(plan, 'strat');
    expect(out.kind).toBe('placed');
    expect(sentAt).toEqual([T0, T0 + 11_000]);
    expect(manager.inFlightUntil({ createdAt: T0, updatedAt: T0 + 11_000 })).toBe(T0 + 22_000);
    expect(manager.inFlightUntil({ createdAt: T0 + 5, updatedAt: T0 })).toBe(T0 + 11_005);
  });
});
