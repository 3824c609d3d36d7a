/**
 * Kill-all with include-external: foreign orders cancelled and coins tradeops did not buy sold, once.
 * (tests/unit/engine/support/kill-all-rig.ts: the simulated venue with recorded calls and injected
 * faults, the real order manager, portfolio, trading state and bus).
 */
import { describe, expect, it } from 'vitest';
import { answer, BTC, ETH, firstId, pendingItem, rig, T0 } from './support/kill-all-rig.ts';
import { REQUEST_WINDOW_MS } from '../../../src/engine/order-manager.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import type { OrderRequest } from '../../../src/domain/orders.ts';

describe('kill-all with include-external', () => {
  it('cancels foreign open orders on the venue and sells coins tradeops did not buy, after its own position', async () => {
    const r = await rig({ assets: { BTC: 0.5 } });
    await r.enter(BTC, 0.01);
    await r.sim.placeOrder({ clientOrderId: 'by-hand-1', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_000 });
    r.calls.length = 0;
    const storedIds: Array<string | undefined> = [];
    r.hooks.set('placeOrder', () => void storedIds.push(r.riskStore.runs.get(1)!.items[0]!.externalId));
    const run = await (await r.killAll.start('t', true)).done;
    expect(storedIds).toEqual([undefined, `ka1-x-BTCUSDT-${T0 % 1e6}`]);
    expect(run.includeExternal).toBe(true);
    const xid = `ka1-x-BTCUSDT-${T0 % 1e6}`;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'closed', 'closed at 60000; external 0.5 sold at 60000'],
      [ETH, 'flat', 'nothing to close'],
    ]);
    expect(run.items[0]).toMatchObject({ external: 0.5, externalId: xid });
    expect(r.cancelled()).toEqual(['by-hand-1']);
    expect(r.placed()).toEqual([
      { clientOrderId: firstId('BTCUSDT'), symbol: BTC, side: 'sell', type: 'market', amount: 0.01, price: undefined, reduceOnly: true },
      { clientOrderId: xid, symbol: BTC, side: 'sell', type: 'market', amount: 0.5 },
    ]);
    // The external sell's id was on the run before it left, and looked up first (a resumed run may have sent it).
    const i = r.calls.findIndex((c) => c.method === 'placeOrder' && (c.args[0] as OrderRequest).clientOrderId === xid);
    expect(r.calls[i - 1]).toEqual({ method: 'fetchOrder', args: [xid, BTC] });
    expect((await r.sim.fetchBalances()).BTC?.total ?? 0).toBe(0);
    expect(await r.sim.fetchOpenOrders()).toEqual([]);
  });

  it('an external sell lost on the way but still queued at the venue is waited for until it can no longer arrive: sold once', async () => {
    const r = await rig({ assets: { BTC: 0.5 } });
    const xid = `ka1-x-BTCUSDT-${T0 % 1e6}`;
    const sentAt: Array<number | undefined> = [];
    r.hooks.set('placeOrder', () => void sentAt.push(r.riskStore.runs.get(1)!.items[0]!.externalSentAt));
    r.fault('placeOrder', { before: new ExecutionError('unknown-outcome', 'timed out') });
    let lookups = 0;
    r.hooks.set('fetchOrder', async (id) => {
      // Before the send, at once after it, then the venue executes the queued request.
      if (id === xid && ++lookups === 3) await r.sim.placeOrder({ clientOrderId: xid, symbol: BTC, side: 'sell', type: 'market', amount: 0.5 });
    });
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'flat', detail: 'nothing to close; external 0.5 sold at 60000', externalSentAt: T0 });
    expect(sentAt).toEqual([T0]); // stored before the request left
    expect(r.placed()).toHaveLength(1);
    expect(r.sleeps).toEqual([500, REQUEST_WINDOW_MS - 500]);
    expect((await r.sim.fetchBalances()).BTC?.total ?? 0).toBe(0);
  });

  it('a resumed run whose external sell left 2 s before the crash waits out its window before calling it unsent', async () => {
    const r = await rig({ assets: { BTC: 0.5 } });
    const xid = 'ka1-x-BTCUSDT-5';
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 't', includeExternal: true, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0, { external: 0.5, externalId: xid, externalSentAt: T0 - 2_000 })] });
    let lookups = 0;
    r.hooks.set('fetchOrder', async (id) => {
      if (id === xid && ++lookups === 2) await r.sim.placeOrder({ clientOrderId: xid, symbol: BTC, side: 'sell', type: 'market', amount: 0.5 });
    });
    const run = await r.killAll.resumePending();
    expect(r.sleeps).toEqual([REQUEST_WINDOW_MS - 2_000]);
    expect(r.placed()).toEqual([]);
    expect(run!.items[0]).toMatchObject({ detail: 'nothing to close; external 0.5 sold at 60000' });
  });

  it('an external sell whose answer is lost is looked up, not sent twice; one never placed fails after the attempts allowed', async () => {
    const r = await rig({ assets: { BTC: 0.5, ETH: 3 }, maxAttempts: 2 });
    r.fault('placeOrder', { after: new ExecutionError('unknown-outcome', 'timed out', { retryAt: T0 + 1_500 }) });
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items[0]).toMatchObject({ symbol: BTC, outcome: 'flat', detail: 'nothing to close; external 0.5 sold at 60000' });
    expect(r.placed().filter((p) => p.symbol === BTC)).toHaveLength(1);
    expect(r.sleeps[0]).toBe(1_500);
    // ETH: every send rate-limited before it left.
    const limited = () => ({ before: new ExecutionError('retryable', '429') });
    expect(run.items[1]).toMatchObject({ symbol: ETH, outcome: 'flat', detail: 'nothing to close; external 3 sold at 3000' });

    const r2 = await rig({ assets: { ETH: 3 }, maxAttempts: 2 });
    r2.fault('placeOrder', limited(), limited(), limited());
    const run2 = await (await r2.killAll.start('t', true)).done;
    expect(run2.items[0]).toMatchObject({ symbol: ETH, outcome: 'failed', detail: 'external holdings of 3 not sold' });
    expect(r2.placed()).toHaveLength(2);
    expect(r2.sleeps).toEqual([500, 500]);
    // Refused outright: failed at once with the venue's reason.
    const r3 = await rig({ assets: { ETH: 3 } });
    r3.fault('placeOrder', { before: new ExecutionError('rejected', 'account has trading disabled') });
    const run3 = await (await r3.killAll.start('t', true)).done;
    expect(run3.items[0]).toMatchObject({ outcome: 'failed', detail: 'account has trading disabled' });
    expect(r3.placed()).toHaveLength(1);
  });
});
