/**
 * Kill-all on the in-process simulated exchange (prices pinned), the real order manager, portfolio,
 * trading state and bus; orders and kill runs kept in memory (the drizzle stores run in
 * tests/integration/engine/risk-layer.test.ts). Faults — a lost answer, a rate limit, a refusal — are
 * put in front of the simulated venue one call at a time, and every venue call is recorded, so "what
 * left, in which order, under which clientOrderId" is checked on the venue's side.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { OrderReport, OrderRequest } from '../../../src/domain/orders.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { KillAll } from '../../../src/engine/kill-all.ts';
import { OrderManager, REQUEST_WINDOW_MS } from '../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { ExecutionError, type Execution } from '../../../src/ports/execution.ts';
import type { KillItem } from '../../../src/ports/risk-store.ts';
import { TradingStateHolder } from '../../../src/risk/trading-state.ts';
import { memoryKillRunStore } from './support/kill-run-store.ts';
import { memoryOrderStore } from './support/order-venue.ts';

const T0 = Date.UTC(2026, 0, 1);
const BTC = 'BTC/USDT';
const ETH = 'ETH/USDT';
const SOL = 'SOL/USDT';
const PRICES: Record<string, number> = { [BTC]: 60_000, [ETH]: 3_000, [SOL]: 150, 'BTC/USDT:USDT': 60_000, 'ETH/USDT:USDT': 3_000 };
/** The first close's id chosen with a run started at T0. */
const firstId = (compact: string) => `ka${T0.toString(36)}-${compact}-1`;

type VenueCall = 'placeOrder' | 'cancelOrder' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchBalances';
const VENUE_CALLS = new Set<string>(['placeOrder', 'cancelOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchBalances']);
/**
 * One call's fault: thrown before the venue sees the request, after it acted (the answer lost), or an
 * answer given in the venue's place (the request never reaches it).
 */
type Fault = { before?: Error; after?: Error; answer?: (...args: unknown[]) => unknown } | undefined;

interface RigOptions {
  marketType?: 'spot' | 'swap';
  symbols?: string[];
  /** Spot coins the account holds that tradeops did not buy. */
  assets?: Record<string, number>;
  maxAttempts?: number;
  maxWaitMs?: number;
  marks?: Map<string, number>;
  /** Wait for real (the default sleep) instead of moving the manual clock. */
  realSleep?: boolean;
  /** Listing changes as the venue reports them (undefined: not listed), e.g. a minimum of several lots. */
  markets?: Record<string, Partial<MarketInfo> | undefined>;
}

async function rig(o: RigOptions = {}) {
  const marketType = o.marketType ?? 'spot';
  const symbols = o.symbols ?? (marketType === 'spot' ? [BTC, ETH, SOL] : ['BTC/USDT:USDT', 'ETH/USDT:USDT']);
  const sim = await createSimExchange({ symbols, timeframe: '1m', seed: 7, speed: 0, historyCandles: 5, cash: 1_000_000, assets: o.assets, feeBps: 10, slippageBps: 0, marketType, now: () => T0 });
  for (const s of symbols) await sim.setPrice(s, PRICES[s] ?? 100);
  const calls: Array<{ method: VenueCall; args: unknown[] }> = [];
  const faults = new Map<VenueCall, Fault[]>();
  const hooks = new Map<VenueCall, (...args: unknown[]) => void | Promise<void>>();
  const venue: Execution = new Proxy(sim, {
    get(t, k, r) {
      const v = Reflect.get(t, k, r) as unknown;
      if (typeof v !== 'function') return v;
      if (k === 'market' && o.markets) {
        return (symbol: string) => (symbol in o.markets! ? o.markets![symbol] && { ...t.market(symbol)!, ...o.markets![symbol] } : t.market(symbol));
      }
      if (typeof k !== 'string' || !VENUE_CALLS.has(k)) return v.bind(t);
      const method = k as VenueCall;
      return async (...args: unknown[]) => {
        calls.push({ method, args });
        await hooks.get(method)?.(...args);
        const f = faults.get(method)?.shift();
        if (f?.before) throw f.before;
        if (f?.answer) return f.answer(...args);
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        if (f?.after) throw f.after;
        return out;
      };
    },
  });
  const clock = new ManualClock(T0);
  const store = memoryOrderStore();
  const statements: string[][] = [];
  // The drizzle store writes a batch in one statement: recorded so "one write for the batch" is visible.
  store.insertOrders = async (rows) => {
    statements.push(rows.map((r) => r.clientOrderId));
    for (const r of rows) await store.insertOrder(r);
  };
  const riskStore = memoryKillRunStore();
  const portfolio = new Portfolio(1_000_000);
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const logger = pino({ level: 'silent' });
  const orders = new OrderManager({ execution: venue, store, clock, mode: 'paper', logger, portfolio, bus, lookupDelayMs: 0, sleep: async () => {} });
  const tradingState = await TradingStateHolder.load(store, (e) => bus.publish(e), clock);
  const sleeps: number[] = [];
  const marks = o.marks ?? new Map(symbols.map((s) => [s, PRICES[s] ?? 100]));
  const killAll = new KillAll({
    execution: venue, store, riskStore, orders, portfolio, tradingState, bus, clock, logger, symbols,
    marks: () => marks,
    maxAttempts: o.maxAttempts,
    maxWaitMs: o.maxWaitMs,
    sleep: o.realSleep
      ? undefined
      : async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
  });
  const enter = async (symbol: string, quantity: number, side: 'buy' | 'sell' = 'buy') => {
    const out = await orders.submit({ kind: 'entry', symbol, side, positionSide: side === 'buy' ? 'long' : 'short', quantity, reduceOnly: false, reason: 'setup' }, 'test');
    expect(out.kind).toBe('placed');
    return out.clientOrderId;
  };
  const rest = async (symbol: string, quantity: number, price: number) => {
    const out = await orders.submit({ kind: 'entry', symbol, side: 'buy', positionSide: 'long', quantity, reduceOnly: false, reason: 'setup', type: 'limit', price }, 'test');
    expect(out).toMatchObject({ kind: 'placed', report: { status: 'open' } });
    return out.clientOrderId;
  };
  const fault = (method: VenueCall, ...list: Fault[]) => faults.set(method, list);
  const placed = () => calls.filter((c) => c.method === 'placeOrder').map((c) => c.args[0] as OrderRequest);
  const cancelled = () => calls.filter((c) => c.method === 'cancelOrder').map((c) => c.args[0] as string);
  return { sim, venue, calls, hooks, fault, placed, cancelled, clock, store, statements, riskStore, portfolio, events, orders, tradingState, killAll, sleeps, enter, rest };
}

/** A venue answer to a market order: filled (`avgPrice` may be missing) or not. */
const answer = (req: OrderRequest, status: OrderReport['status'], filled: number, extra: Partial<OrderReport> = {}): OrderReport => ({
  clientOrderId: req.clientOrderId, exchangeOrderId: `x-${req.clientOrderId}`, symbol: req.symbol, side: req.side, type: req.type, status,
  amount: req.amount, filled, fee: 0, fills: [], ts: T0, ...extra,
});

const pendingItem = (symbol: string, quantity: number, extra: Partial<KillItem> = {}): KillItem => ({ symbol, outcome: 'pending', detail: '', quantity, cancel: [], attempts: 0, ...extra });

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
