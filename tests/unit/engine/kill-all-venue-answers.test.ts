/**
 * Kill-all: what the venue answers — rejections, refused lookups, partial and odd fills, stored results.
 * (tests/unit/engine/support/kill-all-rig.ts: the simulated venue with recorded calls and injected
 * faults, the real order manager, portfolio, trading state and bus).
 */
import { describe, expect, it } from 'vitest';
import { answer, BTC, ETH, pendingItem, rig, SOL, T0 } from './support/kill-all-rig.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import type { OrderReport, OrderRequest } from '../../../src/domain/orders.ts';

describe('kill-all: what the venue answers', () => {
  it('a close the venue answers as rejected fails its symbol with the venue reason (or a generic one)', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 1);
    const rejected = { answer: (q: unknown) => answer(q as OrderRequest, 'rejected', 0, (q as OrderRequest).symbol === BTC ? { reason: 'ReduceOnly Order is rejected' } : {}) };
    r.fault('placeOrder', rejected, rejected);
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'failed', 'ReduceOnly Order is rejected'],
      [ETH, 'failed', 'close rejected'],
    ]);
    expect(r.placed().filter((p) => p.side === 'sell')).toHaveLength(2);
  });

  it('a lookup the venue refuses is not read as "never sent": the symbol fails and no close is sent', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 't', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0.01, { closeId: 'ka1-BTCUSDT-1-5', attempts: 1 })] });
    r.fault('fetchOrder', { before: new ExecutionError('rejected', 'this API key may not read orders') });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    expect(run!.items[0]).toMatchObject({ outcome: 'failed', detail: 'this API key may not read orders' });
    expect(r.placed()).toEqual([]);
  });

  it('a close filled in two orders reports the price of the first when the venue gives none for the second', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const part = (q: OrderRequest, status: OrderReport['status'], amount: number, avgPrice?: number): OrderReport =>
      answer(q, status, amount, { avgPrice, fills: [{ tradeId: `t-${q.clientOrderId}`, clientOrderId: q.clientOrderId, symbol: q.symbol, side: q.side, price: 60_000, amount, fee: 0, feeCurrency: 'USDT', ts: T0 }] });
    // The first close fills 0.004 and expires; the second fills the rest, reported without an average price.
    r.fault('placeOrder', { answer: (q) => part(q as OrderRequest, 'canceled', 0.004, 60_000) }, { answer: (q) => part(q as OrderRequest, 'filled', 0.006) });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'closed', detail: 'closed at 60000', attempts: 2 });
    expect(r.portfolio.all()).toEqual([]);
  });

  it('an external sell\'s lookup the venue refuses is not read as "never sent" either: nothing is sold', async () => {
    const refused = () => ({ before: new ExecutionError('rejected', 'this API key may not read orders') });
    // The lookup before the first send.
    const r = await rig({ assets: { ETH: 3 } });
    r.fault('fetchOrder', refused());
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'failed', detail: 'this API key may not read orders' });
    expect(r.placed()).toEqual([]);
    // The lookup after a send whose answer was lost.
    const l = await rig({ assets: { ETH: 3 } });
    l.fault('placeOrder', { before: new ExecutionError('unknown-outcome', 'timed out') });
    l.fault('fetchOrder', undefined, refused());
    const run2 = await (await l.killAll.start('t', true)).done;
    expect(run2.items[0]).toMatchObject({ outcome: 'failed', detail: 'this API key may not read orders' });
    expect(l.placed()).toHaveLength(1);
  });

  it('a close found cancelled unfilled (the position gone meanwhile) reports nothing closed, whatever price the venue shows', async () => {
    const r = await rig();
    const closeId = 'ka1-ETHUSDT-1-5';
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 't', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(ETH, 1, { closeId, attempts: 1 })] });
    const req: OrderRequest = { clientOrderId: closeId, symbol: ETH, side: 'sell', type: 'market', amount: 1, reduceOnly: true };
    r.fault('fetchOrder', { answer: () => answer(req, 'canceled', 0, { avgPrice: 3_100 }) });
    const run = await r.killAll.resumePending();
    expect(run!.items[0]).toMatchObject({ outcome: 'flat', detail: 'nothing to close' });
    expect(run!.items[0]!.avgPrice).toBeUndefined();
  });

  it('a resumed close whose position now reads the other way is not sent (that would open new exposure)', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.riskStore.createKillRun({ status: 'running', requestedBy: 't', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, -0.01)] });
    r.calls.length = 0;
    const run = await r.killAll.resumePending();
    expect(run!.items[0]).toMatchObject({ outcome: 'failed', detail: 'the position reads 0.01 after accounting, the other way from the -0.01 planned: nothing sent (see /reconcile)' });
    expect(r.placed()).toEqual([]);
  });

  it('an external sell the venue did not fill fails its symbol; one filled without a price says so', async () => {
    const r = await rig({ assets: { ETH: 3, SOL: 2 } });
    const sell = { answer: (q: unknown) => ((q as OrderRequest).symbol === ETH ? answer(q as OrderRequest, 'canceled', 0, { avgPrice: 3_000 }) : answer(q as OrderRequest, 'filled', 2)) };
    // ETH's sell answered as cancelled unfilled; SOL's as filled with no average price.
    r.fault('placeOrder', sell, sell);
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [ETH, 'failed', 'external holdings of 3 not sold'],
      [SOL, 'flat', 'nothing to close; external 2 sold at ?'],
    ]);
  });

  it('each symbol\'s result is stored as soon as it is known, not only when the run ends', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 1);
    // BTC's close waits on the venue until ETH's result is on disk (or gives up after a while).
    let ethStored: string | undefined;
    r.hooks.set('placeOrder', async (req) => {
      if ((req as OrderRequest).symbol !== BTC) return;
      for (let i = 0; i < 50 && ethStored === undefined; i++) {
        await new Promise((res) => setImmediate(res));
        const eth = r.riskStore.runs.get(1)!.items[1]!;
        if (eth.outcome !== 'pending') ethStored = eth.outcome;
      }
    });
    await (await r.killAll.start('t', false)).done;
    expect(ethStored).toBe('closed');
  });

  it('without a sleep given, a Retry-After is waited for real', async () => {
    const r = await rig({ realSleep: true });
    await r.enter(BTC, 0.01);
    r.fault('placeOrder', { before: new ExecutionError('banned', 'no request sent: banned', { retryAt: T0 + 60 }) });
    const t = performance.now();
    const run = await (await r.killAll.start('t', false)).done;
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    expect(run.items[0]).toMatchObject({ outcome: 'closed', attempts: 2 });
  });
});
