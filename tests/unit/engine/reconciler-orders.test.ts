/**
 * The reconciler's decisions on orders and trades, one situation at a time: a run that finds nothing
 * (and the window of trades it reads), orders not final in storage settled from the venue, venue
 * trades storage lacks (and a trade list that would over-fill an order), and open orders tradeops did
 * not create. On a scriptable venue with the order half of the store in memory
 * (support/reconciler-harness.ts) — milliseconds a test, so every mutant of the reconciler can be tried
 * on all of them. Holdings and cash: reconciler-holdings.test.ts; swap positions and the invariant
 * position = Σ fills: reconciler-positions.test.ts. The same runs with the real ccxt client, the local
 * exchange and a real database: tests/integration/exchange/reconciliation.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { OrderReport } from '../../../src/domain/orders.ts';
import { alerts, bal, BTC, CLEAN, clock, DAY, freshRig, lines, market, orders, portfolio, reconciler, resting, row, store, T0, trade, venue } from './support/reconciler-harness.ts';

describe('Reconciler (scriptable venue, store in memory)', () => {
  beforeEach(freshRig);

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
});
