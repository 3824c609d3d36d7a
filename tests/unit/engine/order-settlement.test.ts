import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import { CLIENT_ORDER_ID_PATTERN, type OrderReport } from '../../../src/domain/orders.ts';
import type { OrderRecord } from '../../../src/ports/store.ts';
import type { PlannedOrder } from '../../../src/risk/decide.ts';
import { OrderManager } from '../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { memoryOrderStore, TestVenue } from './support/order-venue.ts';

const T0 = Date.UTC(2026, 0, 1);
const GRACE_MS = 60_000;
const plan: PlannedOrder = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', positionSide: 'long', quantity: 0.5004, allIn: false, reduceOnly: false, stopLoss: 90, reason: 'test entry' };

describe('order manager: submitting and settling unknown outcomes', () => {
  let venue: TestVenue;
  let store: ReturnType<typeof memoryOrderStore>;
  let clock: ManualClock;
  let manager: OrderManager;
  let logs: Array<{ level: number; msg: string; clientOrderId?: string; err?: { message: string } }>;
  beforeEach(() => {
    venue = new TestVenue();
    store = memoryOrderStore();
    clock = new ManualClock(T0);
    logs = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(JSON.parse(chunk.toString('utf8'))), done()) });
    manager = new OrderManager({ execution: venue, store, clock, mode: 'live', logger: pino({ level: 'warn' }, destination), clientOrderIdPrefix: 'tt' });
  });
  const status = async (id: string) => (await store.getOrder(id))?.status;

  it('writes the order before sending it, rounded down to the lot, and stores the venue report', async () => {
    let atSend: OrderRecord | undefined;
    venue.onPlace = async (req) => void (atSend = await store.getOrder(req.clientOrderId));
    const out = await manager.submit(plan, 'strat');
    // Write-ahead: the row existed, as pending with the whole intent, before the request left.
    expect(atSend).toMatchObject({ status: 'pending', type: 'market', side: 'buy', amount: 0.5, filled: 0, reduceOnly: false, intent: { kind: 'entry', positionSide: 'long', stopLoss: 90 } });
    expect(venue.placed[0]!.reduceOnly).toBeUndefined();
    expect(out.kind).toBe('placed');
    expect(venue.placed).toHaveLength(1);
    expect(venue.placed[0]).toMatchObject({ clientOrderId: out.clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.5 });
    expect(out.clientOrderId).toMatch(/^tt-/);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled', filled: 0.5, avgPrice: 100, amount: 0.5, mode: 'live', exchange: 'test', strategy: 'strat', reason: 'test entry', createdAt: T0 });
  });

  it('an order the venue never received stays unknown for the 60 s grace, then becomes rejected — never resent', async () => {
    venue.next = 'lose-before';
    const out = await manager.submit(plan, 'strat');
    expect(out).toEqual({ kind: 'unknown', clientOrderId: out.clientOrderId, reason: 'request timed out' });
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'unknown', reason: 'request timed out' });
    expect(logs).toEqual([expect.objectContaining({ level: 40, msg: 'order outcome unknown; will settle by clientOrderId', clientOrderId: out.clientOrderId })]);
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

  it('an order the venue did receive is settled from the venue\'s answer, at once', async () => {
    venue.next = 'lose-after';
    const out = await manager.submit(plan, 'strat');
    expect(await status(out.clientOrderId)).toBe('unknown');
    clock.set(T0 + 1_000);
    const settled = await manager.settleUnknown();
    expect(settled.map((r) => r.clientOrderId)).toEqual([out.clientOrderId]);
    expect(await store.getOrder(out.clientOrderId)).toMatchObject({ status: 'filled', filled: 0.5, exchangeOrderId: 'x-1', avgPrice: 100 });
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
    const out = await manager.submit(plan, 'strat');
    venue.lookupError = new Error('venue down');
    clock.set(T0 + 2 * GRACE_MS);
    logs.length = 0;
    expect(await manager.settleUnknown()).toEqual([]);
    expect(await status(out.clientOrderId)).toBe('unknown');
    expect(logs).toEqual([expect.objectContaining({ msg: 'could not settle order yet', clientOrderId: out.clientOrderId, err: expect.objectContaining({ message: 'venue down' }) })]);
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

  it('refusals the venue calls unsupported are rejections too; an auth failure is stored and rethrown', async () => {
    venue.next = 'unsupported';
    expect(await manager.submit(plan, 'strat')).toMatchObject({ kind: 'rejected', reason: 'reduceOnly is not supported on this market' });
    venue.next = 'auth';
    await expect(manager.submit(plan, 'strat')).rejects.toThrow('invalid API key');
    expect((await store.ordersByStatus(['rejected'])).map((r) => r.reason)).toEqual(['reduceOnly is not supported on this market', 'invalid API key']);
  });

  it('sends a reduce-only exit as reduce-only', async () => {
    await manager.submit({ ...plan, kind: 'exit', side: 'sell', reduceOnly: true, stopLoss: undefined, reason: 'exit' }, 'strat');
    expect(venue.placed[0]).toMatchObject({ side: 'sell', reduceOnly: true });
    const [row] = [...store.orders.values()];
    expect(row).toMatchObject({ reduceOnly: true, intent: { kind: 'exit' } });
  });

  it('makes venue-safe clientOrderIds with the default prefix "to"', async () => {
    const bare = new OrderManager({ execution: venue, store, clock, mode: 'paper', logger: pino({ level: 'silent' }) });
    const out = await bare.submit(plan, 'strat');
    expect(out.clientOrderId).toMatch(/^to-[0-9a-z]+-[0-9a-z]{8}$/);
    expect(CLIENT_ORDER_ID_PATTERN.test(out.clientOrderId)).toBe(true);
  });

  it('a venue answer that would be an illegal move (a buggy adapter) throws and writes nothing', async () => {
    venue.next = 'lose-after';
    const out = await manager.submit(plan, 'strat');
    const report = venue.received.get(out.clientOrderId)!;
    venue.received.set(out.clientOrderId, { ...report, status: 'submitted' as OrderReport['status'] });
    clock.set(T0 + 1_000);
    const err = await manager.settleUnknown().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'INTERNAL', message: 'illegal order transition unknown → submitted' });
    expect(await status(out.clientOrderId)).toBe('unknown');
  });
});
