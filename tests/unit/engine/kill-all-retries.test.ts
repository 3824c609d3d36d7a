/**
 * Kill-all when requests go wrong: fills racing cancels, lost answers, rate limits, bans, back-off.
 * (tests/unit/engine/support/kill-all-rig.ts: the simulated venue with recorded calls and injected
 * faults, the real order manager, portfolio, trading state and bus).
 */
import { describe, expect, it } from 'vitest';
import { answer, BTC, ETH, firstId, rig, T0 } from './support/kill-all-rig.ts';
import { REQUEST_WINDOW_MS } from '../../../src/engine/order-manager.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';

describe('kill-all run: faults and retries', () => {
  it('an order that fills before its cancel arrives is accounted and its position closed too', async () => {
    const r = await rig();
    const resting = await r.rest(BTC, 0.01, 30_000);
    // The market falls through the limit while the cancel is on its way: the venue fills it first.
    r.hooks.set('cancelOrder', async () => {
      r.hooks.delete('cancelOrder');
      await r.sim.setPrice(BTC, 29_000);
    });
    const run = await (await r.killAll.start('t', false)).done;
    expect(await r.store.getOrder(resting)).toMatchObject({ status: 'filled' });
    expect(run.items[0]).toMatchObject({ symbol: BTC, quantity: 0, outcome: 'closed', detail: 'closed at 29000' });
    expect(r.placed().at(-1)).toMatchObject({ side: 'sell', amount: 0.01, reduceOnly: true });
    expect(r.portfolio.all()).toEqual([]);
  });

  it('a lost answer is looked up before anything is resent: a close that reached the venue is never sent twice', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    r.calls.length = 0;
    // The close reaches the venue, its answer is lost, and the order manager's own lookup fails too.
    r.fault('placeOrder', { after: new ExecutionError('unknown-outcome', 'timed out', { retryAt: T0 + 2_000 }) });
    r.fault('fetchOrder', { before: new Error('venue down') });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'closed', detail: 'closed at 60000', attempts: 1 });
    expect(r.placed()).toHaveLength(1);
    expect(r.sleeps).toEqual([2_000]);
    expect(r.calls.map((c) => c.method)).toEqual(['placeOrder', 'fetchOrder', 'fetchOrder']);
    expect(r.portfolio.all()).toEqual([]);
  });

  it('a close the venue never received is sent again under a new id, written to the run first; it gives up after the attempts allowed', async () => {
    const r = await rig({ maxAttempts: 2 });
    await r.enter(BTC, 0.01);
    r.calls.length = 0;
    const lost = () => ({ before: new ExecutionError('unknown-outcome', 'timed out') });
    // Every close is lost on the way; the order manager's lookup fails, kill-all's finds nothing, and
    // neither does its second lookup once the request can no longer arrive.
    r.fault('placeOrder', lost(), lost());
    r.fault('fetchOrder', { before: new Error('venue down') }, undefined, undefined, { before: new Error('venue down') }, undefined, undefined);
    const storedIds: Array<string | undefined> = [];
    r.hooks.set('placeOrder', () => void storedIds.push(r.riskStore.runs.get(1)!.items[0]!.closeId));
    const run = await (await r.killAll.start('t', false)).done;
    const second = `ka1-BTCUSDT-2-${T0 % 1e6}`;
    expect(r.placed().map((p) => p.clientOrderId)).toEqual([firstId('BTCUSDT'), second]);
    expect(storedIds).toEqual([firstId('BTCUSDT'), second]);
    expect(run.items[0]).toMatchObject({ outcome: 'failed', detail: 'still 0.01 open after 2 attempts', attempts: 2, closeId: second });
    // No Retry-After given: half a second before each lookup; then, nothing found, the rest of the
    // 11 s in which the lost request could still arrive at the venue, before it is sent again.
    expect(r.sleeps).toEqual([500, REQUEST_WINDOW_MS - 500, 500, REQUEST_WINDOW_MS - 500]);
    expect(r.portfolio.get(BTC)?.quantity).toBe(0.01);
  });

  it('a refused cancel of an order already gone is no failure; a rate-limited cancel waits its Retry-After (at most the longest wait) and is sent again', async () => {
    const r = await rig({ maxWaitMs: 10_000 });
    await r.enter(BTC, 0.01);
    const resting = await r.rest(BTC, 0.01, 30_000);
    const gone = await r.rest(ETH, 1, 1_000);
    await r.sim.cancelOrder(gone, ETH); // cancelled on the venue; the store does not know yet
    r.calls.length = 0;
    const limited = () => ({ before: new ExecutionError('retryable', '429 too many requests', { retryAt: T0 + 60_000 }) });
    r.fault('cancelOrder', limited());
    r.fault('fetchOrder', { before: new Error('venue down') });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome])).toEqual([[BTC, 'closed'], [ETH, 'flat']]);
    expect(r.sleeps).toEqual([10_000]);
    expect(await r.store.getOrder(resting)).toMatchObject({ status: 'canceled' });
    expect(await r.store.getOrder(gone)).toMatchObject({ status: 'canceled' });
    expect(await r.sim.fetchOpenOrders()).toEqual([]);
  });

  it('a close refused before it left (rate-limit pause, IP ban) waits until then, at most the longest wait, and goes again under a new id', async () => {
    // The request gate's refusal during an IP ban, for a close sent in the first batch.
    const r = await rig({ maxWaitMs: 20_000 });
    await r.enter(BTC, 0.01);
    r.fault('placeOrder', { before: new ExecutionError('banned', 'no request sent: the exchange banned this IP', { retryAt: T0 + 90_000 }) });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'closed', attempts: 2 });
    expect(r.placed().filter((p) => p.side === 'sell').map((p) => p.clientOrderId)).toEqual([firstId('BTCUSDT'), `ka1-BTCUSDT-2-${T0 % 1e6}`]);
    expect(r.sleeps).toEqual([20_000]);
    expect(r.portfolio.all()).toEqual([]);
    // A rate-limit pause, for a close sent on its own after its symbol's cancel.
    const e = await rig();
    await e.enter(ETH, 1);
    await e.rest(ETH, 1, 1_000);
    e.fault('placeOrder', { before: new ExecutionError('retryable', 'no request sent: the exchange rate-limited this IP', { retryAt: T0 + 5_000 }) });
    const run2 = await (await e.killAll.start('t', false)).done;
    expect(run2.items[0]).toMatchObject({ outcome: 'closed', attempts: 2 });
    expect(e.placed().filter((p) => p.side === 'sell').map((p) => p.clientOrderId)).toEqual([firstId('ETHUSDT'), `ka1-ETHUSDT-2-${T0 % 1e6}`]);
    expect(e.sleeps).toEqual([5_000]);
  });

  it('a cancel the venue did not carry out (the order still open when looked up) is sent again before the close; never left open', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const resting = await r.rest(BTC, 0.01, 30_000);
    r.calls.length = 0;
    // Refused before it left (rate limited); the order manager's lookup finds the order still open.
    r.fault('cancelOrder', { before: new ExecutionError('retryable', '429 too many requests', { retryAt: T0 + 3_000 }) });
    const run = await (await r.killAll.start('t', false)).done;
    expect(r.cancelled()).toEqual([resting, resting]);
    expect(await r.store.getOrder(resting)).toMatchObject({ status: 'canceled' });
    expect(await r.sim.fetchOpenOrders()).toEqual([]);
    expect(run.items[0]).toMatchObject({ outcome: 'closed' });
    // The close left only after the order was gone.
    expect(r.calls.filter((c) => c.method !== 'fetchOrder').map((c) => c.method)).toEqual(['cancelOrder', 'cancelOrder', 'placeOrder']);
  });

  it('an order that stays open through every cancel fails its symbol with that reason, and nothing is closed there', async () => {
    const r = await rig({ maxAttempts: 2 });
    await r.enter(BTC, 0.01);
    const resting = await r.rest(BTC, 0.01, 30_000);
    const limited = () => ({ before: new ExecutionError('retryable', '429 too many requests') });
    r.fault('cancelOrder', limited(), limited(), limited());
    const run = await (await r.killAll.start('t', false)).done;
    expect(r.cancelled()).toEqual([resting, resting, resting]);
    expect(run.items[0]).toMatchObject({ outcome: 'failed', detail: `order ${resting} is still open after its cancel` });
    expect(r.placed().filter((p) => p.side === 'sell')).toEqual([]);
  });

  it('a cancel the venue refuses as already closed is no failure even when the order cannot be looked up', async () => {
    const r = await rig();
    const gone = await r.rest(ETH, 1, 1_000);
    await r.sim.cancelOrder(gone, ETH); // cancelled on the venue; the store does not know yet
    r.fault('fetchOrder', { before: new Error('venue down') });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items).toMatchObject([{ symbol: ETH, outcome: 'flat', detail: 'nothing to close' }]);
    expect(r.cancelled()).toEqual([gone]);
  });

  it('a foreign cancel whose answer is lost or rate-limited is sent again after the Retry-After', async () => {
    const r = await rig();
    await r.sim.placeOrder({ clientOrderId: 'by-hand-1', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_000 });
    r.fault('cancelOrder', { before: new ExecutionError('retryable', '429', { retryAt: T0 + 3_000 }) }, { before: new ExecutionError('unknown-outcome', 'timed out') });
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items).toMatchObject([{ symbol: ETH, outcome: 'flat' }]);
    expect(r.cancelled()).toEqual(['by-hand-1', 'by-hand-1', 'by-hand-1']);
    expect(r.sleeps).toEqual([3_000, 500]);
    expect(await r.sim.fetchOpenOrders()).toEqual([]);
  });

  it('without Retry-After a failing venue call backs off 250 ms, then twice as long each time, and gives up after the attempts allowed', async () => {
    const r = await rig({ maxAttempts: 3 });
    await r.enter(BTC, 0.01);
    await r.rest(BTC, 0.01, 30_000);
    const down = () => ({ before: new ExecutionError('retryable', 'bad gateway') });
    // Every cancel fails and so does every lookup: the cancel's outcome stays unknown.
    r.fault('cancelOrder', down(), down(), down(), down());
    r.fault('fetchOrder', down(), down(), down(), down());
    const run = await (await r.killAll.start('t', false)).done;
    expect(r.sleeps).toEqual([250, 500, 1_000]);
    expect(r.cancelled()).toHaveLength(4);
    expect(run.items[0]).toMatchObject({ outcome: 'failed', detail: 'bad gateway' });
    // Nothing closed while the order could not be cancelled.
    expect(r.placed().filter((p) => p.side === 'sell')).toEqual([]);
  });
});
