/**
 * The reconciler's decisions on swap positions and on the invariant position = Σ fills, one situation
 * at a time: positions closed outside tradeops adopted with booked closes, external positions reported,
 * the tolerances (half a lot, 1e-8), and a stored position that differs from its fills reported as
 * critical. On a scriptable venue (a `SwapVenue` shows its positions) with the order half of the store
 * in memory (support/reconciler-harness.ts) — milliseconds a test, so every mutant of the reconciler can
 * be tried on all of them. Orders and trades: reconciler-orders.test.ts; spot holdings and cash:
 * reconciler-holdings.test.ts. The same runs with the real ccxt client, the local exchange and a real
 * database: tests/integration/exchange/reconciliation.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { alerts, bal, BTC, CLEAN, ETH, freshRig, market, orders, portfolio, reconciler, resting, row, setup, store, SwapVenue, T0, trade, venue } from './support/reconciler-harness.ts';
import { TestVenue } from './support/order-venue.ts';

describe('Reconciler (scriptable venue, store in memory)', () => {
  beforeEach(freshRig);

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
