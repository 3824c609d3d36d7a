/**
 * Kill-all resumed after a crash: what was sent is found by its id, nothing is sent twice.
 * (tests/unit/engine/support/kill-all-rig.ts: the simulated venue with recorded calls and injected
 * faults, the real order manager, portfolio, trading state and bus).
 */
import { describe, expect, it } from 'vitest';
import { BTC, ETH, pendingItem, rig, T0 } from './support/kill-all-rig.ts';
import { REQUEST_WINDOW_MS } from '../../../src/engine/order-manager.ts';

describe('kill-all resumed after a crash', () => {
  it('nothing left running: nothing happens and the trading state is untouched', async () => {
    const r = await rig();
    expect(await r.killAll.resumePending()).toBeUndefined();
    expect(r.tradingState.get()).toMatchObject({ state: 'ACTIVE', reason: 'started' });
    expect(r.calls).toEqual([]);
  });

  it('halts again if the state was changed meanwhile, or keeps a halt already in place as it is', async () => {
    const r = await rig();
    const id = await r.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [] });
    expect(await r.killAll.resumePending()).toMatchObject({ id, status: 'done', finishedAt: T0 });
    expect(r.tradingState.get()).toMatchObject({ state: 'HALTED', reason: `kill-all #${id} resumed`, changedBy: 'system' });

    const h = await rig();
    await h.tradingState.set('HALTED', 'kill-all by telegram:1', 'telegram:1');
    await h.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [] });
    await h.killAll.resumePending();
    expect(h.tradingState.get()).toMatchObject({ state: 'HALTED', reason: 'kill-all by telegram:1', changedBy: 'telegram:1' });
  });

  it('a close sent before the crash that filled is found by its id and accounted: nothing is sent again', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const closeId = `ka1-BTCUSDT-1-5`;
    // What the killed process left: the write-ahead row, and the request that reached the venue.
    await r.store.insertOrder({ clientOrderId: closeId, exchange: 'sim', mode: 'paper', symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true, status: 'pending', filled: 0, fee: 0, strategy: 'kill-all', reason: 'kill-all #1', intent: { kind: 'exit', positionSide: 'long' }, createdAt: T0, updatedAt: T0 });
    await r.sim.placeOrder({ clientOrderId: closeId, symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true });
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0.01, { closeId, attempts: 1 })] });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    expect(run!.items[0]).toMatchObject({ outcome: 'closed', detail: 'closed at 60000', attempts: 1 });
    expect(r.placed()).toEqual([]);
    expect(r.calls.map((c) => c.method)).toEqual(['fetchOrder']);
    expect(r.portfolio.all()).toEqual([]);
  });

  it('a close sent just before the crash that the venue executes only later (its request still queued there) is waited for and found: nothing is sent twice', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const closeId = `ka1-BTCUSDT-1-5`;
    // The killed process wrote the close and sent it 2 s ago; the venue has not executed it yet.
    await r.store.insertOrder({ clientOrderId: closeId, exchange: 'sim', mode: 'paper', symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true, status: 'pending', filled: 0, fee: 0, strategy: 'kill-all', reason: 'kill-all #1', intent: { kind: 'exit', positionSide: 'long' }, createdAt: T0 - 2_000, updatedAt: T0 - 2_000 });
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0.01, { closeId, attempts: 1 })] });
    let lookups = 0;
    r.hooks.set('fetchOrder', async () => {
      // By the second lookup the queued request has been executed by the venue.
      if (++lookups === 2) await r.sim.placeOrder({ clientOrderId: closeId, symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true });
    });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    // It waited until the request could no longer arrive (11 s after it was sent), looked again, found the fill.
    expect(r.sleeps).toEqual([REQUEST_WINDOW_MS - 2_000]);
    expect(r.placed()).toEqual([]);
    expect(r.calls.map((c) => c.method)).toEqual(['fetchOrder', 'fetchOrder']);
    expect(run!.items[0]).toMatchObject({ outcome: 'closed', attempts: 1 });
    expect(r.portfolio.all()).toEqual([]);
  });

  it('a close sent long before the restart that the venue does not know is sent again at once (it can no longer arrive)', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const closeId = `ka1-BTCUSDT-1-5`;
    await r.store.insertOrder({ clientOrderId: closeId, exchange: 'sim', mode: 'paper', symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true, status: 'pending', filled: 0, fee: 0, strategy: 'kill-all', reason: 'kill-all #1', intent: { kind: 'exit', positionSide: 'long' }, createdAt: T0 - REQUEST_WINDOW_MS, updatedAt: T0 - REQUEST_WINDOW_MS });
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0.01, { closeId, attempts: 1 })] });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    expect(r.sleeps).toEqual([]);
    expect(r.placed()).toHaveLength(1);
    expect(run!.items[0]).toMatchObject({ outcome: 'closed', attempts: 2 });
  });

  it('a close that never reached the venue is sent under the next id; symbols already finished are left alone', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 1);
    const id = await r.riskStore.createKillRun({
      status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 1_234_567,
      items: [pendingItem(BTC, 0.01, { closeId: `ka${T0.toString(36)}-BTCUSDT-1`, attempts: 0 }), pendingItem(ETH, 1, { outcome: 'failed', detail: 'refused earlier' })],
    });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    const next = `ka${id}-BTCUSDT-1-234567`;
    expect(r.placed().map((p) => p.clientOrderId)).toEqual([next]);
    expect(run!.items).toMatchObject([
      { symbol: BTC, outcome: 'closed', closeId: next, attempts: 1 },
      { symbol: ETH, outcome: 'failed', detail: 'refused earlier' },
    ]);
    expect(r.portfolio.get(ETH)?.quantity).toBe(1);
  });

  it('a resume of the run this process is running joins it: each close is sent once', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const started = await r.killAll.start('t', false);
    const resumed = r.killAll.resumePending();
    const [a, b] = await Promise.all([started.done, resumed]);
    expect(b).toEqual(a);
    expect(r.placed().filter((p) => p.side === 'sell')).toHaveLength(1);
  });

  it('a foreign order cancelled before the crash and external coins sold before it are not touched again', async () => {
    const r = await rig({ assets: { BTC: 0.5 } });
    const xid = 'ka1-x-BTCUSDT-5';
    await r.sim.placeOrder({ clientOrderId: xid, symbol: BTC, side: 'sell', type: 'market', amount: 0.5 });
    await r.sim.placeOrder({ clientOrderId: 'by-hand-1', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_000 });
    await r.sim.cancelOrder('by-hand-1', ETH);
    await r.riskStore.createKillRun({
      status: 'running', requestedBy: 't', includeExternal: true, reason: 'kill-all', startedAt: 5,
      items: [pendingItem(BTC, 0, { external: 0.5, externalId: xid }), pendingItem(ETH, 0, { cancel: ['by-hand-1'] })],
    });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    expect(run!.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'flat', 'nothing to close; external 0.5 sold at 60000'],
      [ETH, 'flat', 'nothing to close'],
    ]);
    expect(r.placed()).toEqual([]);
  });
});
