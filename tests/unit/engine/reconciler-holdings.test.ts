/**
 * The reconciler's decisions on spot holdings and cash, one situation at a time: coins beyond what
 * tradeops bought reported as external, fewer coins than recorded adopted with a booked sell (and what
 * stops or limits an adoption), and a quote balance moved outside tradeops adopted as cash. On a
 * scriptable venue with the order half of the store in memory (support/reconciler-harness.ts) —
 * milliseconds a test, so every mutant of the reconciler can be tried on all of them. Orders and
 * trades: reconciler-orders.test.ts; swap positions and the invariant position = Σ fills:
 * reconciler-positions.test.ts. The same runs with the real ccxt client, the local exchange and a real
 * database: tests/integration/exchange/reconciliation.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { alerts, bal, BTC, CLEAN, ETH, freshRig, market, orders, portfolio, reconciler, row, store, T0, venue } from './support/reconciler-harness.ts';

describe('Reconciler (scriptable venue, store in memory)', () => {
  beforeEach(freshRig);

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
});
