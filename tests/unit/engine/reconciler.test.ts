/**
 * The reconciler's decisions, one situation at a time: a scriptable venue (it lists the trades,
 * balances, open orders and positions a test gives it) and the order half of the store in memory
 * (support/order-venue.ts) — milliseconds a test, so every mutant of the reconciler can be tried on
 * all of them. The same runs with the real ccxt client, the local exchange and a real database:
 * tests/integration/exchange/reconciliation.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { Fill, OrderReport } from '../../../src/domain/orders.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { OrderManager, type OrderPlan } from '../../../src/engine/order-manager.ts';
import { Reconciler, type ReconcileFindings, type ReconcilerDeps } from '../../../src/engine/reconciler.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import type { VenuePosition } from '../../../src/ports/execution.ts';
import type { OrderRecord } from '../../../src/ports/store.ts';
import { memoryOrderStore, TestVenue } from './support/order-venue.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const BTC = 'BTC/USDT';
const ETH = 'ETH/USDT';
const CLEAN: ReconcileFindings = { settled: 0, filledOffline: [], closedOnExchange: [], externalOrders: [], externalHoldings: [], adopted: [], mismatches: [] };
const market = (symbol: string, side: 'buy' | 'sell', quantity: number): OrderPlan => ({ kind: 'entry', symbol, side, quantity, reduceOnly: false, reason: 'reconciler test' });
const resting = (price: number): OrderPlan => ({ ...market(BTC, 'buy', 0.5), type: 'limit', price });
const bal = (total: number) => ({ free: total, used: 0, total });

/** A swap venue: it also shows its positions. */
class SwapVenue extends TestVenue {
  positions: VenuePosition[] = [];
  async fetchPositions(symbols: readonly string[]): Promise<VenuePosition[]> {
    return this.positions.filter((p) => symbols.includes(p.symbol));
  }
}

type Alert = Extract<DomainEvent, { type: 'reconciliation' }>;

describe('Reconciler (scriptable venue, store in memory)', () => {
  let store: ReturnType<typeof memoryOrderStore>;
  let venue: TestVenue;
  let clock: ManualClock;
  let portfolio: Portfolio;
  let orders: OrderManager;
  let events: DomainEvent[];
  let lines: Array<Record<string, unknown>>;
  let bus: EventBus;
  const alerts = () => events.filter((e): e is Alert => e.type === 'reconciliation');
  const logger = () => pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  function setup(v: TestVenue = new TestVenue()) {
    venue = v;
    portfolio = new Portfolio(10_000);
    orders = new OrderManager({ execution: venue, store, clock, mode: 'live', logger: logger(), portfolio, bus, lookupDelayMs: 0, sleep: async (ms) => void clock.advance(ms) });
  }
  const reconciler = (o: Partial<ReconcilerDeps> = {}) =>
    new Reconciler({ execution: venue, store, orders, portfolio, bus, clock, logger: logger(), account: 'test', symbols: [BTC], checkHoldings: false, adoptCash: false, marks: () => new Map([[BTC, 120]]), ...o });
  /** A row as an earlier run (or another account) left it. */
  const row = (clientOrderId: string, o: Partial<OrderRecord> = {}) =>
    store.insertOrder({ clientOrderId, exchange: 'test', mode: 'live', symbol: BTC, side: 'buy', type: 'market', amount: 0.5, reduceOnly: false, status: 'filled', filled: 0.5, fee: 0, strategy: 's', createdAt: T0, updatedAt: T0, ...o });
  const trade = (clientOrderId: string, tradeId: string, amount: number): Fill => ({ tradeId, clientOrderId, symbol: BTC, side: 'buy', price: 100, amount, fee: 0, feeCurrency: 'USDT', ts: T0 });

  beforeEach(() => {
    clock = new ManualClock(T0);
    store = memoryOrderStore();
    events = [];
    lines = [];
    bus = new EventBus();
    bus.onAny((e) => void events.push(e));
    setup();
  });

  it('finds nothing when storage and venue agree: no alert, and trades are read from 7 days back, then from a minute before the previous run', async () => {
    expect((await orders.submit(market(BTC, 'buy', 1), 's')).kind).toBe('placed');
    // Bought 1 at 100 with a 0.1 USDT fee: 9,899.9 USDT left on the venue; margin-style cash 9,999.9.
    venue.balances = { BTC: bal(1), USDT: bal(9_899.9) };
    const r = reconciler({ checkHoldings: true, adoptCash: true });
    expect(await r.run()).toEqual(CLEAN);
    expect(alerts()).toEqual([]);
    expect(lines.find((l) => l.msg === 'reconciliation finished')).toMatchObject({ findings: CLEAN });
    clock.advance(3_600_000);
    expect(await r.run()).toEqual(CLEAN);
    expect(venue.tradeQueries).toEqual([
      { symbol: BTC, since: T0 - 7 * DAY },
      { symbol: BTC, since: T0 - 60_000 },
    ]);
    await reconciler({ lookbackMs: 3_600_000 }).run();
    expect(venue.tradeQueries[2]).toEqual({ symbol: BTC, since: T0 + 3_600_000 - 3_600_000 });
  });

  describe('orders not final in storage', () => {
    it('fills, cancels and expiries that happened while down are settled and reported; an order still open is settled quietly', async () => {
      const ids: string[] = [];
      for (const p of [95, 94, 93, 92]) {
        ids.push((await orders.submit(resting(p), 's')).clientOrderId);
        clock.advance(1); // settled oldest first
      }
      const [filled, canceled, expired, open] = ids as [string, string, string, string];
      venue.fillResting(filled);
      venue.received.set(canceled, { ...venue.received.get(canceled)!, status: 'canceled' });
      venue.received.set(expired, { ...venue.received.get(expired)!, status: 'expired' });
      const run = await reconciler().run();
      expect(run).toEqual({ ...CLEAN, settled: 4, filledOffline: [filled], closedOnExchange: [canceled, expired] });
      expect((await Promise.all(ids.map((id) => store.getOrder(id)))).map((o) => o!.status)).toEqual(['filled', 'canceled', 'expired', 'open']);
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0 + 4, severity: 'warning', lines: [`filled while offline: ${filled}`, `cancelled on the exchange: ${canceled}, ${expired}`] }]);
    });

    it('a cancel on the venue alone is reported as information', async () => {
      const { clientOrderId } = await orders.submit(resting(95), 's');
      venue.received.set(clientOrderId, { ...venue.received.get(clientOrderId)!, status: 'canceled' });
      await reconciler().run();
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0, severity: 'info', lines: [`cancelled on the exchange: ${clientOrderId}`] }]);
    });

    it('orders of another account are neither settled nor counted', async () => {
      await row('theirs', { exchange: 'other', status: 'open', filled: 0 });
      await venue.placeOrder({ clientOrderId: 'theirs', symbol: BTC, side: 'buy', type: 'limit', amount: 0.5, price: 95 });
      venue.fillResting('theirs');
      expect(await reconciler().run()).toEqual({ ...CLEAN, externalOrders: [] });
      expect((await store.getOrder('theirs'))!.status).toBe('open');
    });
  });

  describe('venue trades storage lacks', () => {
    it('an order stored final without its fills is repaired from the venue\'s trades; complete orders are not looked up again', async () => {
      const complete = await orders.submit(market(BTC, 'buy', 0.5), 's');
      venue.trades.push(...venue.received.get(complete.clientOrderId)!.fills);
      // Stored filled, fills lost; the venue's order answer lists no fills, its trade list does (two trades).
      await row('bare');
      await venue.placeOrder({ clientOrderId: 'bare', symbol: BTC, side: 'buy', type: 'market', amount: 0.5 });
      venue.received.set('bare', { ...venue.received.get('bare')!, fills: [] });
      venue.trades.push(trade('bare', 'b1', 0.3), trade('bare', 'b2', 0.2));
      // The venue's answer lists the first trade only; the second comes from the trade list.
      await row('half');
      await venue.placeOrder({ clientOrderId: 'half', symbol: BTC, side: 'buy', type: 'market', amount: 0.5 });
      venue.received.set('half', { ...venue.received.get('half')!, fills: [trade('half', 'h1', 0.25)] });
      venue.trades.push(trade('half', 'h1', 0.25), trade('half', 'h2', 0.25));
      // Not tradeops' (no client id, an unknown id, another account) or unknown to the venue now: left alone.
      venue.trades.push({ ...trade('', 'x1', 1) }, trade('web-1', 'x2', 1));
      await row('theirs', { exchange: 'other' });
      venue.trades.push(trade('theirs', 'o1', 0.5));
      await row('gone');
      venue.trades.push(trade('gone', 'g1', 0.5));
      venue.lookups.length = 0;

      const run = await reconciler().run();
      expect(run).toEqual({ ...CLEAN, filledOffline: ['bare', 'half'] });
      expect(venue.lookups).toEqual(['bare', 'half', 'gone']);
      expect((await store.fillsOfOrder('bare')).map((f) => f.tradeId)).toEqual(['b1', 'b2']);
      expect((await store.fillsOfOrder('half')).map((f) => f.tradeId)).toEqual(['h1', 'h2']);
      expect(await store.fillsOfOrder('theirs')).toEqual([]);
      expect(await store.fillsOfOrder('gone')).toEqual([]);
      expect(portfolio.get(BTC)!.quantity).toBeCloseTo(1.5, 12);
      expect(alerts()[0]).toMatchObject({ severity: 'warning', lines: ['filled while offline: bare, half'] });

      venue.lookups.length = 0;
      expect(await reconciler().run()).toEqual(CLEAN);
      expect(venue.lookups).toEqual(['gone']);
    });
  });

  it('a venue trade list that would over-fill an order is refused and not reported as filled offline', async () => {
    const done = await orders.submit(market(BTC, 'buy', 0.5), 's');
    venue.trades.push(...venue.received.get(done.clientOrderId)!.fills, trade(done.clientOrderId, 'bogus', 0.2));
    expect(await reconciler().run()).toEqual(CLEAN);
    expect(await store.fillsOfOrder(done.clientOrderId)).toHaveLength(1);
    expect(portfolio.get(BTC)!.quantity).toBeCloseTo(0.5, 12);
  });

  describe('open orders on the venue', () => {
    it('orders tradeops did not create are reported — by the venue\'s id when they carry no client id — once, and never touched', async () => {
      await orders.submit(resting(95), 's');
      const foreign = (clientOrderId: string, exchangeOrderId: string, side: 'buy' | 'sell', amount: number): OrderReport => ({ clientOrderId, exchangeOrderId, symbol: BTC, side, type: 'limit', status: 'open', amount, filled: 0, price: 90, fee: 0, fills: [], ts: T0 });
      venue.foreignOrders.push(foreign('web_1', '1', 'buy', 0.002), foreign('', '99', 'sell', 0.1));
      const r = reconciler();
      const run = await r.run();
      expect(run.externalOrders).toEqual([
        { clientOrderId: 'web_1', symbol: BTC, side: 'buy', amount: 0.002 },
        { clientOrderId: '99', symbol: BTC, side: 'sell', amount: 0.1 },
      ]);
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0, severity: 'info', lines: ['external order web_1 (buy 0.002 BTC/USDT) left alone', 'external order 99 (sell 0.1 BTC/USDT) left alone'] }]);
      expect((await r.run()).externalOrders).toHaveLength(2);
      expect(alerts()).toHaveLength(1);
      expect(venue.cancels).toEqual([]);
    });
  });

  describe('spot holdings and cash', () => {
    beforeEach(async () => {
      await orders.submit(market(BTC, 'buy', 1), 's');
    });

    it('coins beyond what tradeops bought are external, reported once; within half a lot nothing is said', async () => {
      venue.balances = { BTC: bal(1.0004) };
      const r = reconciler({ checkHoldings: true });
      expect(await r.run()).toEqual(CLEAN);
      venue.balances = { BTC: bal(1 + 0.0005) }; // exactly half a lot: still agreement
      expect(await r.run()).toEqual(CLEAN);
      // 1 + 2⁻¹⁰: beyond half a lot (0.0005), exact in binary.
      venue.balances = { BTC: bal(1.0009765625) };
      expect((await reconciler({ checkHoldings: true }).run()).externalHoldings).toEqual([{ asset: 'BTC', amount: 0.0009765625 }]);
      venue.balances = { BTC: bal(1.5) };
      expect((await r.run()).externalHoldings).toEqual([{ asset: 'BTC', amount: expect.closeTo(0.5, 12) }]);
      expect(alerts().map((a) => a.lines)).toEqual([['external holding 0.0009765625 BTC left alone'], ['external holding 0.5 BTC left alone']]);
      await r.run();
      expect(alerts()).toHaveLength(2);
    });

    it('coins of a symbol tradeops never traded, or without lot information, count to the last 1e-8', async () => {
      venue.balances = { BTC: bal(1.5), ETH: bal(0.00001) };
      expect((await reconciler({ checkHoldings: true, symbols: [BTC, ETH] }).run()).externalHoldings).toEqual([
        { asset: 'BTC', amount: 0.5 },
        { asset: 'ETH', amount: 0.00001 },
      ]);
      // Each asset is announced on its own.
      expect(alerts()[0]!.lines).toEqual(['external holding 0.5 BTC left alone', 'external holding 0.00001 ETH left alone']);
    });

    it('fewer coins than recorded (sold by hand) are adopted: a booked sell at the mark, Σ fills kept, reported as a warning, once', async () => {
      venue.balances = { BTC: bal(0.7) };
      const r = reconciler({ checkHoldings: true });
      const run = await r.run();
      expect(run).toEqual({ ...CLEAN, adopted: [{ symbol: BTC, from: 1, to: expect.closeTo(0.7, 12) }] });
      expect(portfolio.get(BTC)!.quantity).toBeCloseTo(0.7, 12);
      expect((await store.positions('test'))[0]!.quantity).toBeCloseTo(0.7, 12);
      expect((await store.netFilledQuantities('test')).get(BTC)!.net).toBeCloseTo(0.7, 12);
      const [adj] = (await store.ordersSince('test', T0)).filter((o) => o.strategy === 'reconcile');
      expect(adj).toMatchObject({ side: 'sell', type: 'market', status: 'filled', reduceOnly: true, mode: 'live', avgPrice: 120, reason: 'the exchange holds less than tradeops recorded (closed outside tradeops): adopted' });
      expect(adj!.amount).toBeCloseTo(0.3, 12);
      expect(adj!.clientOrderId).toMatch(/^adj-/);
      // Booked at the mark (120) against the entry (100): 0.3 × 20 realised.
      expect(adj!.exchangeOrderId).toBeUndefined();
      expect((await store.fillsOfOrder(adj!.clientOrderId))[0]).toMatchObject({ price: 120, fee: 0, feeCurrency: '', realizedPnl: expect.closeTo(6, 9) });
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0, severity: 'warning', lines: [`BTC/USDT: the exchange holds less than recorded (closed outside tradeops?) — position 1 → ${run.adopted[0]!.to} adopted`] }]);
      expect(await r.run()).toEqual(CLEAN);
    });

    it('without a mark the adjustment is booked at the entry price; within half a lot nothing is adopted', async () => {
      venue.balances = { BTC: bal(0.9996) };
      expect(await reconciler({ checkHoldings: true, marks: () => new Map() }).run()).toEqual(CLEAN);
      venue.balances = { BTC: bal(0.5) };
      await reconciler({ checkHoldings: true, marks: () => new Map() }).run();
      const [adj] = (await store.ordersSince('test', T0)).filter((o) => o.strategy === 'reconcile');
      expect(adj).toMatchObject({ avgPrice: 100, amount: 0.5 });
    });

    it('an order of this account on the symbol not settled yet stops an adoption (its fills may explain the difference)', async () => {
      await row('closing', { side: 'sell', status: 'pending', filled: 0, createdAt: T0 });
      venue.balances = { BTC: bal(0.7) };
      expect(await reconciler({ checkHoldings: true }).run()).toEqual({ ...CLEAN, settled: 0 });
      expect(portfolio.get(BTC)!.quantity).toBe(1);
    });

    it('an unsettled order of another account does not stop an adoption', async () => {
      await row('theirs', { exchange: 'other', status: 'pending', filled: 0, createdAt: T0 });
      venue.balances = { BTC: bal(0.7) };
      expect((await reconciler({ checkHoldings: true }).run()).adopted).toHaveLength(1);
    });

    it('the cut never exceeds the position held: a position tradeops does not hold is not cut', async () => {
      venue.balances = { BTC: bal(0.7) };
      const fresh = new Portfolio(10_000);
      fresh.applyFill(BTC, 'buy', 0.1, 100, 0, T0);
      const run = await reconciler({ checkHoldings: true, portfolio: fresh }).run();
      expect(run.adopted).toEqual([{ symbol: BTC, from: 0.1, to: 0 }]);
      expect(await reconciler({ checkHoldings: true, portfolio: new Portfolio(10_000) }).run()).toMatchObject({ adopted: [] });
      // A cut of exactly half a lot is within the tolerance: nothing booked.
      const crumb = new Portfolio(10_000);
      crumb.applyFill(BTC, 'buy', 0.0005, 100, 0, T0);
      expect(await reconciler({ checkHoldings: true, portfolio: crumb }).run()).toMatchObject({ adopted: [] });
    });

    it('live: a quote balance moved outside tradeops is adopted as cash, stored and reported; rounding noise is not', async () => {
      // Bought 1 at 100 with a 0.1 fee: margin-style cash is the 9,899.9 USDT left + the 100 cost basis.
      venue.balances = { BTC: bal(1), USDT: bal(9_899.905) };
      const r = reconciler({ checkHoldings: true, adoptCash: true });
      expect((await r.run()).cashAdopted).toBeUndefined();
      venue.balances = { BTC: bal(1), USDT: bal(9_904.9) };
      expect((await r.run()).cashAdopted).toEqual({ from: expect.closeTo(9_999.9, 9), to: expect.closeTo(10_004.9, 9) });
      expect(portfolio.cash).toBeCloseTo(10_004.9, 9);
      expect(await store.cash('test')).toBeCloseTo(10_004.9, 9);
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0, severity: 'warning', lines: ['cash changed outside tradeops: 9999.90 → 10004.90 adopted from the exchange'] }]);
      // Paper accounts keep their own cash.
      venue.balances = { BTC: bal(1), USDT: bal(5_000) };
      expect((await reconciler({ checkHoldings: true, adoptCash: false }).run()).cashAdopted).toBeUndefined();
      expect(portfolio.cash).toBeCloseTo(10_004.9, 9);
    });

    it('a venue listing no quote balance means no quote: cash is the cost basis alone', async () => {
      venue.balances = { BTC: bal(1) };
      expect((await reconciler({ checkHoldings: true, adoptCash: true }).run()).cashAdopted).toEqual({ from: expect.closeTo(9_999.9, 9), to: 100 });
    });

    it('the cash threshold grows with the account: 0.01 % of the cash (at least one cent)', async () => {
      portfolio.cash = 1_000_000;
      // Venue cash = USDT + 100 basis; 1,000,000 ± 100 is within 0.01 %, ± 150 is not.
      venue.balances = { BTC: bal(1), USDT: bal(1_000_000 - 100 + 100) };
      expect((await reconciler({ checkHoldings: true, adoptCash: true }).run()).cashAdopted).toBeUndefined();
      venue.balances = { BTC: bal(1), USDT: bal(1_000_000 - 100 - 150) };
      expect((await reconciler({ checkHoldings: true, adoptCash: true }).run()).cashAdopted).toEqual({ from: 1_000_000, to: 999_850 });
    });

    it('the quote currency of a swap symbol is its settlement currency', async () => {
      venue.balances = { BTC: bal(1), USDT: bal(9_904.9) };
      const run = await reconciler({ checkHoldings: true, adoptCash: true, symbols: ['BTC/USDT:USDT'] }).run();
      expect(run.cashAdopted).toEqual({ from: expect.closeTo(9_999.9, 9), to: expect.closeTo(10_004.9, 9) });
    });
  });

  describe('swap positions', () => {
    beforeEach(() => setup(new SwapVenue()));
    const swap = () => venue as SwapVenue;

    it('a venue without position reads cannot reconcile positions', async () => {
      setup(new TestVenue());
      await expect(reconciler({ checkPositions: true }).run()).rejects.toThrow('test: positions cannot be read from this exchange');
    });

    it('a long closed partly and a short closed fully outside tradeops are adopted with booked closes', async () => {
      await orders.submit(market(BTC, 'buy', 1), 's');
      await orders.submit(market(ETH, 'sell', 2), 's');
      swap().positions = [{ symbol: BTC, quantity: 0.6 }];
      const run = await reconciler({ checkPositions: true, symbols: [BTC, ETH], marks: () => new Map([[BTC, 120], [ETH, 90]]) }).run();
      expect(run.adopted).toEqual([
        { symbol: BTC, from: 1, to: expect.closeTo(0.6, 12) },
        { symbol: ETH, from: -2, to: 0 },
      ]);
      expect(run.externalPositions).toBeUndefined();
      expect(run.mismatches).toEqual([]);
      const adj = (await store.ordersSince('test', T0)).filter((o) => o.strategy === 'reconcile');
      expect(adj.map((o) => [o.symbol, o.side, o.avgPrice])).toEqual([
        [BTC, 'sell', 120],
        [ETH, 'buy', 90],
      ]);
      expect(adj[0]!.amount).toBeCloseTo(0.4, 12);
      expect(adj[1]!.amount).toBeCloseTo(2, 12);
      expect(portfolio.get(ETH)).toBeUndefined();
    });

    it('more than tradeops holds, the other side, or a position it never opened are external; agreement within 1e-8 is silence', async () => {
      await orders.submit(market(BTC, 'buy', 1), 's');
      await orders.submit(market(ETH, 'buy', 1), 's');
      swap().positions = [
        { symbol: BTC, quantity: 1.5 },
        { symbol: ETH, quantity: -0.5 },
        { symbol: 'SOL/USDT', quantity: -3 },
      ];
      const r = reconciler({ checkPositions: true, symbols: [BTC, ETH, 'SOL/USDT'] });
      const run = await r.run();
      expect(run.externalPositions).toEqual([
        { symbol: BTC, quantity: 0.5 },
        { symbol: ETH, quantity: -1.5 },
        { symbol: 'SOL/USDT', quantity: -3 },
      ]);
      expect(run.adopted).toEqual([]);
      expect(alerts()[0]!.lines).toEqual(['external position 0.5 BTC/USDT left alone', 'external position -1.5 ETH/USDT left alone', 'external position -3 SOL/USDT left alone']);
      await r.run();
      expect(alerts()).toHaveLength(1);
      swap().positions = [
        { symbol: BTC, quantity: 1.000000005 },
        { symbol: ETH, quantity: 1 },
        { symbol: 'SOL/USDT', quantity: -4 },
      ];
      expect((await r.run()).externalPositions).toEqual([{ symbol: 'SOL/USDT', quantity: -4 }]);
      expect(alerts()[1]!.lines).toEqual(['external position -4 SOL/USDT left alone']);
    });

    it('within half a lot the venue and tradeops agree; a fee taken in the base coin counts as less held', async () => {
      await row('net', { status: 'pending', filled: 0, amount: 1 });
      await orders.settle({ clientOrderId: 'net', exchangeOrderId: 'x', symbol: BTC, side: 'buy', type: 'market', status: 'filled', amount: 1, filled: 1, avgPrice: 100, fee: 0.001, feeCurrency: 'BTC', fills: [{ ...trade('net', 'n1', 1), fee: 0.001, feeCurrency: 'BTC' }], ts: T0 });
      const r = reconciler({ checkPositions: true, symbols: [BTC, ETH] });
      // ETH: no fills, no lot information: 1e-8 is the tolerance, and exactly 1e-8 is agreement.
      swap().positions = [{ symbol: BTC, quantity: 0.999 }, { symbol: ETH, quantity: 1e-8 }];
      expect(await r.run()).toEqual(CLEAN);
      swap().positions = [{ symbol: BTC, quantity: 0.9994 }];
      expect(await r.run()).toEqual(CLEAN);
      swap().positions = [{ symbol: BTC, quantity: 0.9996 }];
      expect((await r.run()).externalPositions).toEqual([{ symbol: BTC, quantity: expect.closeTo(0.0006, 12) }]);
    });

    it('a position memory does not hold on the same side, or holds at most half a lot of, is not cut', async () => {
      await orders.submit(market(BTC, 'buy', 1), 's');
      swap().positions = [{ symbol: BTC, quantity: 0.5 }];
      const memory = new Portfolio(10_000);
      memory.applyFill(BTC, 'sell', 0.2, 100, 0, T0);
      expect((await reconciler({ checkPositions: true, portfolio: memory }).run()).adopted).toEqual([]);
      const crumb = new Portfolio(10_000);
      crumb.applyFill(BTC, 'buy', 0.0005, 100, 0, T0);
      expect((await reconciler({ checkPositions: true, portfolio: crumb }).run()).adopted).toEqual([]);
      expect((await reconciler({ checkPositions: true, portfolio: new Portfolio(10_000) }).run()).adopted).toEqual([]);
    });
  });

  describe('the invariant position = Σ fills', () => {
    it('a stored position that differs from its fills is a critical finding; agreement within 1e-8 relative is not', async () => {
      await orders.submit(market(BTC, 'buy', 1), 's');
      await store.savePosition('test', BTC, { ...portfolio.get(BTC)!, quantity: 1 + 5e-9 });
      // A position of exactly 1e-8 without fills is within the tolerance too.
      await store.savePosition('test', 'SOL/USDT', { ...portfolio.get(BTC)!, symbol: 'SOL/USDT', quantity: 1e-8 });
      expect((await reconciler().run()).mismatches).toEqual([]);
      await store.savePosition('test', BTC, { ...portfolio.get(BTC)!, quantity: 0.5 });
      await store.savePosition('test', ETH, { ...portfolio.get(BTC)!, symbol: ETH, quantity: 2 });
      const run = await reconciler().run();
      expect(run.mismatches).toEqual([
        { symbol: BTC, position: 0.5, fills: 1 },
        { symbol: ETH, position: 2, fills: 0 },
      ]);
      expect(alerts()).toEqual([{ type: 'reconciliation', ts: T0, severity: 'critical', lines: ['BTC/USDT: position 0.5 ≠ Σ fills 1', 'ETH/USDT: position 2 ≠ Σ fills 0'] }]);
    });

    it('on a large position the tolerance is relative: 1e-8 of Σ fills', async () => {
      await orders.submit(market(ETH, 'buy', 1_000), 's');
      await store.savePosition('test', ETH, { ...portfolio.get(ETH)!, quantity: 1_000 + 5e-6 });
      expect((await reconciler().run()).mismatches).toEqual([]);
      await store.savePosition('test', ETH, { ...portfolio.get(ETH)!, quantity: 1_000 + 2e-5 });
      expect((await reconciler().run()).mismatches).toEqual([{ symbol: ETH, position: 1_000 + 2e-5, fills: 1_000 }]);
    });

    it('a mismatch makes the whole report critical, whatever else it holds', async () => {
      const { clientOrderId } = await orders.submit(resting(95), 's');
      venue.fillResting(clientOrderId);
      venue.balances = { USDT: bal(9_000) };
      await store.savePosition('test', ETH, { symbol: ETH, quantity: 2, entryPrice: 10, realizedPnl: 0, openedAt: T0 });
      await reconciler({ adoptCash: true, checkHoldings: true }).run();
      expect(alerts()[0]!.severity).toBe('critical');
      expect(alerts()[0]!.lines[0]).toBe(`filled while offline: ${clientOrderId}`);
    });

    it('a fill whose fee was taken in the base coin counts as less held', async () => {
      await row('net', { status: 'pending', filled: 0 });
      await orders.settle({ clientOrderId: 'net', exchangeOrderId: 'x', symbol: BTC, side: 'buy', type: 'market', status: 'filled', amount: 0.5, filled: 0.5, avgPrice: 100, fee: 0.0005, feeCurrency: 'BTC', fills: [{ ...trade('net', 'n1', 0.5), fee: 0.0005, feeCurrency: 'BTC' }], ts: T0 });
      venue.balances = { BTC: bal(0.4995) };
      expect(await reconciler({ checkHoldings: true }).run()).toEqual(CLEAN);
    });
  });
});
