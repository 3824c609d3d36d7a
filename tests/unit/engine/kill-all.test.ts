/**
 * Kill-all: the plan, and a run from the first request to each symbol's report; closes, dust and listings.
 * (tests/unit/engine/support/kill-all-rig.ts: the simulated venue with recorded calls and injected
 * faults, the real order manager, portfolio, trading state and bus).
 */
import { describe, expect, it } from 'vitest';
import { answer, BTC, ETH, firstId, pendingItem, rig, SOL, T0 } from './support/kill-all-rig.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import type { OrderRequest } from '../../../src/domain/orders.ts';

describe('kill-all plan', () => {
  it('lists per symbol the position and the open orders tradeops owns, sorted by symbol; symbols with neither are left out', async () => {
    const r = await rig();
    await r.enter(ETH, 2);
    await r.rest(BTC, 0.01, 30_000);
    const b = await r.rest(BTC, 0.02, 31_000);
    const c = await r.rest(SOL, 1, 100);
    // Stored as sent-but-unconfirmed and as partly filled: still orders to cancel.
    await r.store.updateOrder(b, { status: 'submitted' });
    await r.store.updateOrder(c, { status: 'partially_filled' });
    // A foreign order on the venue: not tradeops', not in the plan without include-external.
    await r.sim.placeOrder({ clientOrderId: 'by-hand-1', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_000 });
    expect(await r.killAll.plan(false)).toEqual([
      { symbol: BTC, quantity: 0, orders: 2, external: false },
      { symbol: ETH, quantity: 2, orders: 0, external: false },
      { symbol: SOL, quantity: 0, orders: 1, external: false },
    ]);
    expect(r.placed().filter((p) => p.side === 'sell')).toEqual([]); // a plan sends nothing
    expect(r.cancelled()).toEqual([]);
  });

  it('with include-external: foreign open orders and coins beyond what tradeops holds (at least one lot) count too, marked external', async () => {
    // 0.5 BTC and exactly SOL's minimum amount held outside tradeops; ETH only tradeops' own.
    const r = await rig({ assets: { BTC: 0.5, SOL: 0.001 } });
    await r.enter(ETH, 2);
    await r.enter(BTC, 0.1);
    await r.rest(BTC, 0.01, 30_000); // tradeops' own: counted once
    await r.sim.placeOrder({ clientOrderId: 'by-hand-1', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_000 });
    await r.sim.placeOrder({ clientOrderId: 'by-hand-2', symbol: ETH, side: 'buy', type: 'limit', amount: 1, price: 1_100 });
    expect(await r.killAll.plan(true)).toEqual([
      { symbol: BTC, quantity: 0.6, orders: 1, external: true },
      { symbol: ETH, quantity: 2, orders: 2, external: true },
      { symbol: SOL, quantity: 0.001, orders: 0, external: true },
    ]);
  });
});

describe('kill-all run', () => {
  it('latches HALTED and stores the run before the first request, cancels then closes reduce-only with the ids chosen with the run, and reports each symbol', async () => {
    const r = await rig();
    await r.enter(ETH, 2);
    await r.enter(BTC, 0.01);
    const restingBtc = await r.rest(BTC, 0.01, 30_000);
    const restingSol = await r.rest(SOL, 1, 100);
    r.calls.length = 0;
    r.events.length = 0;
    const seen: Array<{ state?: string; stored?: unknown; running?: number }> = [];
    const look = () => void seen.push({ state: r.store.saved.tradingState?.state, stored: r.riskStore.runs.get(1)?.items.map((i) => i.closeId), running: r.killAll.runningId });
    r.hooks.set('placeOrder', look);
    r.hooks.set('cancelOrder', look);
    expect(r.killAll.runningId).toBeUndefined();

    const started = await r.killAll.start('telegram:1', false);
    expect(started).toMatchObject({ started: true, runId: 1 });
    expect(r.tradingState.get()).toMatchObject({ state: 'HALTED', reason: 'kill-all by telegram:1', changedBy: 'telegram:1' });
    const run = await started.done;

    // Before every request: HALTED saved, the run stored with the first closes' ids, the run known as running.
    const ids = [firstId('BTCUSDT'), firstId('ETHUSDT'), undefined];
    expect(seen.length).toBe(4);
    for (const s of seen) expect(s).toEqual({ state: 'HALTED', stored: ids, running: 1 });
    // Cancels first, then the closes; ETH (nothing to cancel) in the batch written in one statement.
    expect(r.statements).toEqual([[firstId('ETHUSDT')]]);
    expect(r.cancelled().sort()).toEqual([restingBtc, restingSol].sort());
    const btcCalls = r.calls.filter((c) => (c.args[1] ?? (c.args[0] as OrderRequest).symbol) === BTC).map((c) => c.method);
    expect(btcCalls).toEqual(['cancelOrder', 'placeOrder']);
    expect(r.placed()).toEqual(
      expect.arrayContaining([
        { clientOrderId: firstId('ETHUSDT'), symbol: ETH, side: 'sell', type: 'market', amount: 2, price: undefined, reduceOnly: true },
        { clientOrderId: firstId('BTCUSDT'), symbol: BTC, side: 'sell', type: 'market', amount: 0.01, price: undefined, reduceOnly: true },
      ]),
    );
    expect(r.placed()).toHaveLength(2);
    expect(await r.store.getOrder(firstId('BTCUSDT'))).toMatchObject({ strategy: 'kill-all', reason: 'kill-all #1', status: 'filled', intent: { kind: 'exit', positionSide: 'long' } });
    expect(await r.store.getOrder(firstId('ETHUSDT'))).toMatchObject({ strategy: 'kill-all', reason: 'kill-all #1', status: 'filled', reduceOnly: true });
    expect(r.portfolio.all()).toEqual([]);

    const lines = [
      { symbol: BTC, outcome: 'closed', detail: 'closed at 60000' },
      { symbol: ETH, outcome: 'closed', detail: 'closed at 3000' },
      { symbol: SOL, outcome: 'flat', detail: 'nothing to close' },
    ];
    expect(run).toMatchObject({ id: 1, status: 'done', finishedAt: T0, requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: T0 });
    expect(run.items.map((i) => ({ symbol: i.symbol, outcome: i.outcome, detail: i.detail }))).toEqual(lines);
    expect(run.items.map((i) => [i.attempts, i.cancel, i.avgPrice])).toEqual([[1, [], 60_000], [1, [], 3_000], [0, [], undefined]]);
    expect(r.riskStore.runs.get(1)).toMatchObject({ status: 'done', finishedAt: T0, items: run.items });
    expect(await r.riskStore.runningKillRun()).toBeUndefined();
    expect(r.killAll.runningId).toBeUndefined();
    const kills = r.events.filter((e) => e.type === 'kill-all');
    expect(kills).toEqual([
      {
        type: 'kill-all', ts: T0, runId: 1, phase: 'started', by: 'telegram:1',
        lines: [
          { symbol: BTC, outcome: 'pending', detail: 'close 0.01 (long), cancel 1 order(s)' },
          { symbol: ETH, outcome: 'pending', detail: 'close 2 (long)' },
          { symbol: SOL, outcome: 'pending', detail: 'no position, cancel 1 order(s)' },
        ],
      },
      { type: 'kill-all', ts: T0, runId: 1, phase: 'finished', by: 'telegram:1', lines },
    ]);
    expect(r.events.filter((e) => e.type === 'trading-state-changed')).toMatchObject([{ from: 'ACTIVE', to: 'HALTED', reason: 'kill-all by telegram:1', by: 'telegram:1' }]);
  });

  it('a start while a run is going joins it; once it finished the next start is a new run; the halt names the reason given', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const first = await r.killAll.start('system', false, 'panic score extreme');
    expect(r.tradingState.get()).toMatchObject({ reason: 'panic score extreme by system', changedBy: 'system' });
    const second = await r.killAll.start('telegram:2', false);
    expect(second).toEqual({ started: false, runId: first.runId, done: first.done });
    expect((await first.done).reason).toBe('panic score extreme');
    expect(r.placed().filter((p) => p.side === 'sell')).toHaveLength(1);
    const third = await r.killAll.start('telegram:2', false);
    expect(third).toMatchObject({ started: true, runId: 2 });
    expect((await third.done).items).toEqual([]);
    expect(r.placed().filter((p) => p.side === 'sell')).toHaveLength(1);
  });

  it('a start while a killed process left a run running resumes that run instead of planning a new one', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    const id = await r.riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 5, items: [pendingItem(BTC, 0.01)] });
    const joined = await r.killAll.start('telegram:2', false);
    expect(joined.started).toBe(false);
    expect(joined.runId).toBe(id);
    expect(await joined.done).toMatchObject({ id, status: 'done', requestedBy: 'telegram:1' });
    expect(r.riskStore.runs.size).toBe(1);
    expect(r.portfolio.all()).toEqual([]);
    // Not latched by this start: the resumed run's own halt is the operator's (resumePending) or already in place.
    expect(r.tradingState.get().state).toBe('ACTIVE');
  });

  it('one symbol refused by the venue is reported failed with the venue reason; the others are still closed', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 2);
    await r.enter(SOL, 3);
    await r.rest(SOL, 1, 100);
    // ETH: refused in the batch; SOL (sent on its own after its cancel): refused too.
    r.hooks.set('placeOrder', (req) => {
      const q = req as OrderRequest;
      if (q.side === 'sell' && q.symbol !== BTC) throw new ExecutionError('rejected', `${q.symbol}: this symbol is not permitted for this account`);
    });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'closed', 'closed at 60000'],
      [ETH, 'failed', 'ETH/USDT: this symbol is not permitted for this account'],
      [SOL, 'failed', 'SOL/USDT: this symbol is not permitted for this account'],
    ]);
    expect(r.portfolio.get(ETH)?.quantity).toBe(2);
    expect(r.riskStore.runs.get(1)!.items.map((i) => i.outcome)).toEqual(['closed', 'failed', 'failed']);
    // Refused outright: not retried.
    expect(r.placed().filter((p) => p.symbol === ETH && p.side === 'sell')).toHaveLength(1);
  });

  it('when the batched write of the first closes fails, nothing of it was sent and each symbol sends its own close', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 1);
    r.calls.length = 0;
    const batched = r.store.insertOrders!;
    r.store.insertOrders = async () => {
      r.store.insertOrders = batched;
      throw new Error('connection reset');
    };
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.attempts])).toEqual([[BTC, 'closed', 1], [ETH, 'closed', 1]]);
    expect(r.placed().map((p) => p.clientOrderId).sort()).toEqual([firstId('BTCUSDT'), firstId('ETHUSDT')]);
    expect(r.statements).toEqual([]);
  });

  it('a crash of the venue library on a close sent in the first batch fails that symbol only', async () => {
    const r = await rig();
    await r.enter(BTC, 0.01);
    await r.enter(ETH, 1);
    await r.rest(ETH, 0.5, 1_000); // ETH cancels first: its close leaves after BTC's has failed
    r.fault('placeOrder', { before: new Error('socket hang up in the venue library') });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'failed', 'socket hang up in the venue library'],
      [ETH, 'closed', 'closed at 3000'],
    ]);
  });

  it('a short (swap) is closed with a reduce-only buy; the id keeps only letters and digits of the symbol', async () => {
    const r = await rig({ marketType: 'swap' });
    await r.enter('BTC/USDT:USDT', 0.01, 'sell');
    expect(r.portfolio.get('BTC/USDT:USDT')!.quantity).toBe(-0.01);
    const started = await r.killAll.start('t', false);
    expect(r.events.find((e) => e.type === 'kill-all')).toMatchObject({ lines: [{ symbol: 'BTC/USDT:USDT', detail: 'close 0.01 (short)' }] });
    const run = await started.done;
    expect(run.items[0]).toMatchObject({ outcome: 'closed', detail: 'closed at 60000' });
    expect(r.placed().at(-1)).toEqual({ clientOrderId: firstId('BTCUSDTUSDT'), symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.01, price: undefined, reduceOnly: true });
    expect(await r.store.getOrder(firstId('BTCUSDTUSDT'))).toMatchObject({ intent: { kind: 'exit', positionSide: 'short' } });
    expect(r.portfolio.all()).toEqual([]);
  });

  it('a long symbol name is cut to 12 letters and digits in every id: first close, next close, external sell', async () => {
    const sym = 'VERYLONGCOINNAME/USDT';
    const r = await rig({ symbols: [sym], assets: { VERYLONGCOINNAME: 2 } });
    await r.enter(sym, 1);
    r.fault('placeOrder', { before: new ExecutionError('banned', 'no request sent: banned', { retryAt: T0 + 1_000 }) });
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items[0]).toMatchObject({ outcome: 'closed', detail: 'closed at 100; external 2 sold at 100' });
    expect(r.placed().filter((p) => p.side === 'sell').map((p) => p.clientOrderId)).toEqual([firstId('VERYLONGCOIN'), `ka1-VERYLONGCOIN-2-${T0 % 1e6}`, `ka1-x-VERYLONGCOIN-${T0 % 1e6}`]);
  });

  it('less than a lot left is dust: reported, not sent; exactly the minimum amount is sent', async () => {
    const r = await rig({ assets: { BTC: 0.0100049, ETH: 0.0001 } });
    // Positions as a restart restores them (coins on the venue, not bought in this test).
    r.portfolio.restore({ symbol: BTC, quantity: 0.0100049, entryPrice: 60_000, realizedPnl: 0, openedAt: T0 });
    r.portfolio.restore({ symbol: SOL, quantity: 0.0004, entryPrice: 150, realizedPnl: 0, openedAt: T0 });
    r.portfolio.restore({ symbol: ETH, quantity: 0.0001, entryPrice: 3_000, realizedPnl: 0, openedAt: T0 });
    const run = await (await r.killAll.start('t', false)).done;
    const [btc, eth, sol] = run.items;
    expect(btc).toMatchObject({ outcome: 'closed', detail: expect.stringMatching(/^closed at 60000 \(dust 0\.0000049\d* below the lot step left\)$/) });
    // ETH's minimum amount (0.0001) is a lot, not dust: it is sent (the venue refuses its 0.30 USDT value).
    expect(r.placed().filter((p) => p.symbol === ETH)).toMatchObject([{ amount: 0.0001, side: 'sell' }]);
    expect(eth).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/below the minimum notional/) });
    expect(sol).toMatchObject({ outcome: 'flat', detail: 'nothing to close (dust 0.0004 below the lot step left)' });
    // Only what is to be sent goes in the first batch (dust has nothing to send).
    expect(r.statements).toEqual([[firstId('BTCUSDT'), firstId('ETHUSDT')]]);
    expect(r.placed().filter((p) => p.symbol === SOL)).toEqual([]);
  });

  it('on a venue whose minimum is several lots, a remainder below it is dust too, and coins outside tradeops below it are left alone', async () => {
    const r = await rig({ assets: { SOL: 0.005, ETH: 0.005 }, markets: { [SOL]: { minAmount: 0.01 }, [ETH]: { minAmount: 0.01 } } });
    r.portfolio.restore({ symbol: SOL, quantity: 0.005, entryPrice: 150, realizedPnl: 0, openedAt: T0 });
    expect(await r.killAll.plan(true)).toEqual([{ symbol: SOL, quantity: 0.005, orders: 0, external: false }]);
    const run = await (await r.killAll.start('t', true)).done;
    expect(run.items).toMatchObject([{ symbol: SOL, outcome: 'flat', detail: 'nothing to close (dust 0.005 below the lot step left)' }]);
    expect(r.placed()).toEqual([]);
  });

  it('include-external looks for coins only on spot markets the venue lists', async () => {
    // A swap account whose wallet also holds BTC (multi-asset margin): that is margin, not a holding to sell.
    const w = await rig({ marketType: 'swap' });
    w.fault('fetchBalances', { answer: () => ({ USDT: { free: 1_000, used: 0, total: 1_000 }, BTC: { free: 1, used: 0, total: 1 } }) });
    expect(await w.killAll.plan(true)).toEqual([]);
    // A configured symbol the venue no longer lists is skipped.
    const u = await rig({ assets: { SOL: 3 }, markets: { [SOL]: undefined } });
    expect(await u.killAll.plan(true)).toEqual([]);
  });

  it('without a last price the close is valued at the entry price; with neither it is refused by the data check, nothing sent', async () => {
    const r = await rig({ marks: new Map() });
    await r.enter(BTC, 0.01);
    r.portfolio.restore({ symbol: ETH, quantity: 1, entryPrice: 0, realizedPnl: 0, openedAt: T0 });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items.map((i) => [i.symbol, i.outcome, i.detail])).toEqual([
      [BTC, 'closed', 'closed at 60000'],
      [ETH, 'failed', 'NO_PRICE: no usable last price for ETH/USDT'],
    ]);
    expect(r.placed().filter((p) => p.symbol === ETH)).toEqual([]);
  });

  it('a symbol the venue does not list fails with that reason', async () => {
    const r = await rig();
    r.portfolio.restore({ symbol: 'NOPE/USDT', quantity: 1, entryPrice: 1, realizedPnl: 0, openedAt: T0 });
    const run = await (await r.killAll.start('t', false)).done;
    expect(run.items).toMatchObject([{ symbol: 'NOPE/USDT', outcome: 'failed', detail: 'market NOPE/USDT is not listed' }]);
    expect(r.placed()).toEqual([]);
    expect(r.statements).toEqual([]); // nothing to batch: no write
  });
});
