import { beforeEach, describe, expect, it } from 'vitest';
import type { OrderPlan } from '../../../src/engine/order-manager.ts';
import type { ManualClock } from '../../../src/ports/clock.ts';
import type { Portfolio } from '../../../src/domain/portfolio.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import type { memoryOrderStore, TestVenue } from './support/order-venue.ts';
import { orderRig, T0 } from './support/order-rig.ts';

const GRACE_MS = 60_000;
const plan: OrderPlan = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', positionSide: 'long', quantity: 0.5, reduceOnly: false, stopLoss: 90, takeProfit: 130, reason: 'test entry' };
const limit = (price: number | undefined): OrderPlan => ({ ...plan, type: 'limit', price });

/** A promise the test resolves by hand (a request held in flight). */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('order manager: what is sent, how often, and what is logged', () => {
  let venue: TestVenue;
  let store: ReturnType<typeof memoryOrderStore>;
  let clock: ManualClock;
  let portfolio: Portfolio;
  let lines: Array<Record<string, unknown>>;
  let make: ReturnType<typeof orderRig>['make'];
  beforeEach(() => {
    ({ venue, store, clock, portfolio, lines, make } = orderRig());
  });
  const status = async (id: string) => (await store.getOrder(id))?.status;

  it('an order the venue never receives is sent at most maxCreateAttempts times, then rejected with a reason the user sees', async () => {
    venue.next = 'lose-before';
    venue.sticky = true;
    const out = await make({ maxCreateAttempts: 3 }).submit(plan, 'strat');
    expect(out).toEqual({ kind: 'rejected', clientOrderId: out.clientOrderId, reason: 'not placed after 3 attempts (the exchange never received it): request timed out' });
    expect(venue.placed.map((r) => r.clientOrderId)).toEqual([out.clientOrderId, out.clientOrderId, out.clientOrderId]);
    // Each send is looked up twice: at once, and again once the request can no longer arrive.
    expect(venue.lookups).toHaveLength(6);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'rejected', reason: 'not placed after 3 attempts: request timed out' });
    expect(portfolio.get('BTC/USDT')).toBeUndefined();
  });

  it('five sends at most by default, and always at least one', async () => {
    venue.next = 'lose-before';
    venue.sticky = true;
    expect((await make().submit(plan, 'strat')).kind).toBe('rejected');
    expect(venue.placed).toHaveLength(5);
    venue.placed.length = 0;
    const once = await make({ maxCreateAttempts: 0 }).submit(plan, 'strat');
    expect(once).toMatchObject({ kind: 'rejected', reason: 'not placed after 1 attempts (the exchange never received it): request timed out' });
    expect(venue.placed).toHaveLength(1);
  });

  it('a resend the venue refuses is stored rejected with the refusal, not left unknown', async () => {
    venue.next = 'lose-before';
    const manager = make();
    const first = venue.placeOrder.bind(venue);
    let calls = 0;
    venue.placeOrder = async (req) => {
      if (++calls === 2) venue.next = 'reject';
      return first(req);
    };
    const out = await manager.submit(plan, 'strat');
    expect(out).toEqual({ kind: 'rejected', clientOrderId: out.clientOrderId, reason: 'insufficient balance' });
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'rejected', reason: 'insufficient balance' });
  });

  it('without a sleep of its own, the lookup really waits', async () => {
    venue.next = 'lose-after';
    const started = performance.now();
    expect((await make({ lookupDelayMs: 60, sleep: undefined }).submit(plan, 'strat')).kind).toBe('placed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('a lost answer whose lookup fails too is unknown, carrying when the venue allows a retry', async () => {
    venue.next = 'lose-before';
    venue.loseError = new ExecutionError('unknown-outcome', 'rate limited mid-request', { retryAt: T0 + 5_000 });
    venue.lookupError = new Error('venue down');
    const out = await make().submit(plan, 'strat');
    expect(out).toEqual({ kind: 'unknown', clientOrderId: out.clientOrderId, reason: 'rate limited mid-request', retryAt: T0 + 5_000 });
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'unknown', reason: 'rate limited mid-request' });
    expect(venue.placed).toHaveLength(1);
  });

  it('a limit order needs a price above 0: nothing is stored or sent without one', async () => {
    const manager = make();
    for (const price of [undefined, 0, -5]) {
      await expect(manager.submit(limit(price), 'strat')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'a limit order needs a price above 0' });
    }
    expect(store.orders.size).toBe(0);
    expect(venue.placed).toEqual([]);
  });

  it('sends a limit order with its price and a market order without one; stores type, price, side and intent', async () => {
    const manager = make();
    const resting = await manager.submit({ ...limit(95.5), reduceOnly: true }, 'strat');
    const market = await manager.submit({ ...plan, price: 123 }, 'strat');
    expect(venue.placed[0]).toMatchObject({ clientOrderId: resting.clientOrderId, type: 'limit', price: 95.5, reduceOnly: true });
    expect(venue.placed[1]).toMatchObject({ clientOrderId: market.clientOrderId, type: 'market' });
    expect(venue.placed[1]!.price).toBeUndefined();
    expect(venue.placed[1]!.reduceOnly).toBeUndefined();
    expect(await store.getOrder(resting.clientOrderId)).toMatchObject({ status: 'open', type: 'limit', price: 95.5, reduceOnly: true, side: 'buy', filled: 0 });
    expect(await store.getOrder(market.clientOrderId)).toMatchObject({
      type: 'market',
      reduceOnly: false,
      intent: { kind: 'entry', positionSide: 'long', stopLoss: 90, takeProfit: 130 },
    });
    expect((await store.getOrder(market.clientOrderId))!.price).toBeUndefined();
    expect(resting.clientOrderId).toMatch(/^to-/);
  });

  it('a symbol the venue has no market information for is sent unrounded; a known one is floored to its lot', async () => {
    const manager = make();
    await manager.submit({ ...plan, symbol: 'ETH/USDT', quantity: 0.12345 }, 'strat');
    await manager.submit({ ...plan, quantity: 0.12345 }, 'strat');
    expect(venue.placed.map((r) => r.amount)).toEqual([0.12345, 0.123]);
  });

  it('stores orders under the account given, else under the venue id', async () => {
    const a = await make({ account: 'binance-sub1' }).submit(plan, 'strat');
    const b = await make().submit(plan, 'strat');
    expect((await store.getOrder(a.clientOrderId))!.exchange).toBe('binance-sub1');
    expect((await store.getOrder(b.clientOrderId))!.exchange).toBe('test');
    expect((await store.fillsOfOrder(a.clientOrderId))[0]).toMatchObject({ exchange: 'binance-sub1' });
  });

  it('a venue error that is not a refusal is stored, logged with its kind, and returned as rejected', async () => {
    const manager = make();
    const first = venue.placeOrder.bind(venue);
    venue.placeOrder = async (req) => {
      venue.placed.push(req);
      throw new ExecutionError('auth', 'API key expired');
    };
    const out = await manager.submit(plan, 'strat');
    venue.placeOrder = first;
    expect(out).toEqual({ kind: 'rejected', clientOrderId: out.clientOrderId, reason: 'API key expired' });
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'rejected', reason: 'API key expired' });
    expect(lines.find((l) => l.msg === 'order refused by the exchange')).toMatchObject({ err: 'API key expired', kind: 'auth', clientOrderId: out.clientOrderId });
    venue.next = 'crash';
    await expect(manager.submit(plan, 'strat')).rejects.toThrow('socket hang up in the venue library');
    expect(lines.filter((l) => l.msg === 'order refused by the exchange')[1]).toMatchObject({ err: 'socket hang up in the venue library' });
    expect(lines.filter((l) => l.msg === 'order refused by the exchange')[1]!.kind).toBeUndefined();
  });

  it('every step of a lost order is logged with the order, its symbol and strategy (what an operator searches for)', async () => {
    venue.next = 'lose-before';
    venue.sticky = true;
    const out = await make({ maxCreateAttempts: 2 }).submit({ ...limit(95), reduceOnly: true }, 'trend');
    const mine = lines.filter((l) => l.clientOrderId === out.clientOrderId);
    expect(mine.every((l) => l.strategy === 'trend' && l.symbol === 'BTC/USDT')).toBe(true);
    expect(mine.map((l) => l.msg)).toEqual([
      'order sent',
      'order outcome unknown; looking it up by clientOrderId',
      'the exchange does not show the order yet; looking again once the request can no longer arrive',
      'the exchange never received the order; sending it again with the same clientOrderId',
      'order outcome unknown; looking it up by clientOrderId',
      'the exchange does not show the order yet; looking again once the request can no longer arrive',
      'order rejected: the exchange never received it',
    ]);
    expect(mine[0]).toMatchObject({ side: 'buy', type: 'limit', amount: 0.5, price: 95, reduceOnly: true, reason: 'test entry' });
    expect(mine[1]).toMatchObject({ attempt: 1, err: 'request timed out' });
    expect(mine[2]).toMatchObject({ waitMs: 11_000 });
    expect(mine[3]).toMatchObject({ attempt: 1 });
    expect(mine[4]).toMatchObject({ attempt: 2, err: 'request timed out' });
    expect(mine[6]).toMatchObject({ attempts: 2, err: 'request timed out' });
    expect(mine.map((l) => l.level)).toEqual([30, 40, 30, 40, 40, 30, 40]);
  });

  it('a failed lookup is logged with its error, and a non-Error thrown by the venue library is logged as text', async () => {
    venue.next = 'lose-before';
    venue.lookupError = new Error('venue down');
    await make().submit(plan, 'strat');
    expect(lines.find((l) => l.msg === 'order lookup failed; settlement will retry (never resent)')).toMatchObject({ err: 'venue down' });
    lines.length = 0;
    venue.next = 'lose-before';
    venue.lookupError = 'ECONNRESET' as unknown as Error;
    await make().submit(plan, 'strat');
    expect(lines.find((l) => l.msg === 'order lookup failed; settlement will retry (never resent)')).toMatchObject({ err: 'ECONNRESET' });
  });

  it('a thrown non-Error is stored and logged as text, and rethrown', async () => {
    venue.placeOrder = async () => {
      throw 'raw failure';
    };
    const manager = make();
    await expect(manager.submit(plan, 'strat')).rejects.toBe('raw failure');
    expect((await store.ordersByStatus(['rejected']))[0]).toMatchObject({ reason: 'raw failure' });
    expect(lines.find((l) => l.msg === 'order refused by the exchange')).toMatchObject({ err: 'raw failure' });
  });

  describe('batches (kill-all closes)', () => {
    it('stores every write-ahead row in one statement before any request leaves; one outcome per plan, in order', async () => {
      const batches: string[][] = [];
      const seenAtFirstSend: string[] = [];
      store.insertOrders = async (rows) => {
        batches.push(rows.map((r) => r.clientOrderId));
        for (const r of rows) await store.insertOrder(r);
      };
      const send = venue.placeOrder.bind(venue);
      venue.placeOrder = async (req) => {
        if (seenAtFirstSend.length === 0) seenAtFirstSend.push(...store.orders.keys());
        return send(req);
      };
      const sell = { ...plan, side: 'sell' as const, kind: 'exit' as const, reduceOnly: true, reason: 'kill-all' };
      const outs = await Promise.all(await make().submitMany([{ plan: sell, clientOrderId: 'k-1' }, { plan: { ...sell, quantity: 0.2 }, clientOrderId: 'k-2' }], 'kill-all'));
      expect(batches).toEqual([['k-1', 'k-2']]);
      expect(seenAtFirstSend).toEqual(['k-1', 'k-2']);
      expect(outs.map((o) => [o.kind, o.clientOrderId])).toEqual([
        ['placed', 'k-1'],
        ['placed', 'k-2'],
      ]);
      expect(venue.placed.map((r) => [r.clientOrderId, r.amount, r.reduceOnly])).toEqual([
        ['k-1', 0.5, true],
        ['k-2', 0.2, true],
      ]);
      expect(await store.getOrder('k-2')).toMatchObject({ status: 'filled', strategy: 'kill-all', reason: 'kill-all' });
      expect(lines.filter((l) => l.msg === 'order sent').map((l) => [l.clientOrderId, l.side, l.type, l.amount, l.reduceOnly, l.reason])).toEqual([
        ['k-1', 'sell', 'market', 0.5, true, 'kill-all'],
        ['k-2', 'sell', 'market', 0.2, true, 'kill-all'],
      ]);
    });

    it('while orders are held a batch is refused whole, with the reason', async () => {
      const manager = make();
      manager.hold('shutdown', 'shutting down');
      manager.hold('standby', 'a standby');
      const outs = await Promise.all(await manager.submitMany([{ plan, clientOrderId: 'h-1' }, { plan, clientOrderId: 'h-2' }], 'kill-all'));
      expect(outs).toEqual([
        { kind: 'rejected', clientOrderId: '', reason: 'new orders are held: shutting down; a standby' },
        { kind: 'rejected', clientOrderId: '', reason: 'new orders are held: shutting down; a standby' },
      ]);
      expect(store.orders.size).toBe(0);
    });

    it('a batch order whose answer and lookup were both lost is settled by the next pass (it is no longer being sent)', async () => {
      const manager = make();
      venue.next = 'lose-after';
      venue.lookupError = new Error('venue down');
      const [out] = await Promise.all(await manager.submitMany([{ plan, clientOrderId: 'u-1' }], 'kill-all'));
      expect(out).toMatchObject({ kind: 'unknown', clientOrderId: 'u-1' });
      venue.lookupError = undefined;
      expect(await manager.markInFlightUnknown()).toEqual([]);
      expect((await manager.settleOpen()).map((r) => r.clientOrderId)).toEqual(['u-1']);
      expect(await status('u-1')).toBe('filled');
    });

    it('a store without batch inserts stores the rows one by one', async () => {
      const outs = await Promise.all(await make().submitMany([{ plan, clientOrderId: 'b-1' }, { plan, clientOrderId: 'b-2' }], 'kill-all'));
      expect(outs.map((o) => o.kind)).toEqual(['placed', 'placed']);
      expect([await status('b-1'), await status('b-2')]).toEqual(['filled', 'filled']);
    });
  });

  describe('requests in flight', () => {
    it('drain waits for requests in flight and says whether they finished in time', async () => {
      const manager = make();
      expect(await manager.drain(0)).toBe(true);
      const gate = latch();
      venue.gate = gate.promise;
      const out = manager.submit(plan, 'strat');
      const started = performance.now();
      expect(await manager.drain(40)).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(30);
      setTimeout(gate.open, 30);
      expect(await manager.drain(5_000)).toBe(true);
      expect((await out).kind).toBe('placed');
    });

    it('drain also waits for a batch in flight', async () => {
      const manager = make();
      const gate = latch();
      venue.gate = gate.promise;
      const outs = await manager.submitMany([{ plan, clientOrderId: 'd-1' }], 'kill-all');
      expect(await manager.drain(20)).toBe(false);
      gate.open();
      expect(await manager.drain(5_000)).toBe(true);
      expect((await outs[0])!.kind).toBe('placed');
    });

    it('at shutdown, orders still being sent are stored unknown for the next start; one being looked up is left unknown as it is', async () => {
      const gate = latch();
      venue.gate = gate.promise;
      const manager = make();
      const sending = manager.submit(plan, 'strat');
      await new Promise((r) => setTimeout(r, 0));
      const [id] = [...store.orders.keys()];
      expect(await manager.markInFlightUnknown()).toEqual([id]);
      expect(await store.getOrder(id!)).toMatchObject({ status: 'unknown', reason: 'in flight at shutdown: settled from the exchange at the next start' });
      gate.open();
      expect((await sending).kind).toBe('placed');
      expect(await status(id!)).toBe('filled');
      expect(await manager.markInFlightUnknown()).toEqual([]);

      // Lost answer, lookup still waiting: the row is already unknown with the venue's error.
      venue.gate = undefined;
      venue.next = 'lose-before';
      const lookupGate = latch();
      const looking = make({ sleep: () => lookupGate.promise });
      const lost = looking.submit(plan, 'strat');
      await new Promise((r) => setTimeout(r, 0));
      const lostId = [...store.orders.keys()].find((k) => k !== id)!;
      expect(await looking.markInFlightUnknown()).toEqual([lostId]);
      expect(await store.getOrder(lostId)).toMatchObject({ status: 'unknown', reason: 'request timed out' });
      lookupGate.open();
      expect((await lost).kind).toBe('placed');
    });

    it('settlement leaves an order alone while this process is still sending it, even past the grace', async () => {
      const gate = latch();
      venue.gate = gate.promise;
      const manager = make();
      const outs = await manager.submitMany([{ plan, clientOrderId: 's-1' }], 'kill-all');
      clock.set(T0 + 2 * GRACE_MS);
      expect(await manager.settleOpen()).toEqual([]);
      expect(venue.lookups).toEqual([]);
      expect(await status('s-1')).toBe('pending');
      gate.open();
      expect((await outs[0])!.kind).toBe('placed');
      expect(await status('s-1')).toBe('filled');
    });
  });
});
