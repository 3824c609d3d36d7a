/**
 * The behaviour every Execution implementation must have (ccxt against the local exchange, the
 * simulated exchange, …). Run it with `describeExecutionContract('name', makeSubject)` from a
 * `*.test.ts` file; the suite only talks to the port and the subject's price control.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { floorToStep, roundToStep, type MarketInfo } from '../../src/domain/market.ts';
import { newClientOrderId, type OrderReport } from '../../src/domain/orders.ts';
import { ExecutionError, type Balance, type Execution, type ExecutionErrorKind } from '../../src/ports/execution.ts';

/**
 * What an implementation hands the suite. The account must hold quote worth at least 200 × the
 * market's min notional and base worth at least 20 × it.
 */
export interface ExecutionContractSubject {
  execution: Execution;
  /** A spot market already loaded (so `execution.market(symbol)` answers). */
  symbol: string;
  /** A sensible price for `symbol`; the suite sets it before each test. */
  initialPrice: number;
  /**
   * Move the venue's price of `symbol`. Resting limit orders the new price crosses must be filled by
   * the time this resolves (deterministic tests).
   */
  setPrice(price: number): Promise<void> | void;
  close(): Promise<void>;
}

async function expectKind(p: Promise<unknown>, kind: ExecutionErrorKind): Promise<ExecutionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ExecutionError(${kind})`).toBeInstanceOf(ExecutionError);
  expect((err as ExecutionError).kind).toBe(kind);
  expect((err as ExecutionError).message.length).toBeGreaterThan(0);
  return err as ExecutionError;
}

const total = (b: Record<string, Balance>, code: string) => b[code]?.total ?? 0;
const free = (b: Record<string, Balance>, code: string) => b[code]?.free ?? 0;

function expectNear(actual: number, expected: number, relTol = 1e-6, label = ''): void {
  const tol = Math.max(1e-9, Math.abs(expected) * relTol);
  expect(Math.abs(actual - expected), `${label} ${actual} ≈ ${expected}`).toBeLessThanOrEqual(tol);
}

/** An order size ~3× the venue minimum, floored to the lot step. */
function smallAmount(m: MarketInfo, price: number): number {
  const notional = Math.max(m.minNotional * 3, m.minAmount * price * 3);
  return Math.max(m.minAmount, floorToStep(notional / price, m.amountStep));
}

function sumFills(r: OrderReport): number {
  return r.fills.reduce((a, f) => a + f.amount, 0);
}

export function describeExecutionContract(name: string, makeSubject: () => Promise<ExecutionContractSubject>): void {
  describe(`Execution contract: ${name}`, () => {
    let s: ExecutionContractSubject;
    let e: Execution;
    let m: MarketInfo;
    let price: number;
    const id = () => newClientOrderId('ct');

    beforeEach(async () => {
      s = await makeSubject();
      e = s.execution;
      price = s.initialPrice;
      await s.setPrice(price);
      const market = e.market(s.symbol);
      if (!market) throw new Error(`subject market ${s.symbol} is not loaded`);
      m = market;
    });
    afterEach(async () => {
      await s.close();
    });

    it('market() describes the subject symbol', () => {
      expect(m.symbol).toBe(s.symbol);
      expect(m.amountStep).toBeGreaterThan(0);
      expect(m.priceStep).toBeGreaterThan(0);
      expect(m.minAmount).toBeGreaterThan(0);
      expect(e.market('NOPE/NOPE')).toBeUndefined();
    });

    it('a market buy fills at about the current price and moves balances by amount, cost and fee', async () => {
      const before = await e.fetchBalances();
      const amount = smallAmount(m, price);
      const cid = id();
      const r = await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'market', amount });
      expect(r.clientOrderId).toBe(cid);
      expect(r.exchangeOrderId).not.toBe('');
      expect(r.status).toBe('filled');
      expectNear(r.filled, amount, 1e-9, 'filled');
      expectNear(r.avgPrice!, price, 0.01, 'avgPrice');
      expect(r.fee).toBeGreaterThanOrEqual(0);
      const after = await e.fetchBalances();
      const fee = r.fee;
      expectNear(total(after, m.base) - total(before, m.base), r.filled - (r.feeCurrency === m.base ? fee : 0), 1e-6, 'base delta');
      expectNear(total(before, m.quote) - total(after, m.quote), r.filled * r.avgPrice! + (r.feeCurrency === m.quote ? fee : 0), 1e-6, 'quote delta');
    });

    it('a market sell fills and moves balances the other way', async () => {
      const before = await e.fetchBalances();
      const amount = smallAmount(m, price);
      const r = await e.placeOrder({ clientOrderId: id(), symbol: s.symbol, side: 'sell', type: 'market', amount });
      expect(r.status).toBe('filled');
      expect(r.side).toBe('sell');
      const after = await e.fetchBalances();
      expectNear(total(before, m.base) - total(after, m.base), r.filled + (r.feeCurrency === m.base ? r.fee : 0), 1e-6, 'base delta');
      expectNear(total(after, m.quote) - total(before, m.quote), r.filled * r.avgPrice! - (r.feeCurrency === m.quote ? r.fee : 0), 1e-6, 'quote delta');
    });

    it('a limit buy below the price rests, is listed as open, reserves funds, and cancels', async () => {
      const before = await e.fetchBalances();
      const limit = roundToStep(price * 0.9, m.priceStep);
      const amount = smallAmount(m, limit);
      const cid = id();
      const r = await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'limit', amount, price: limit });
      expect(r.status).toBe('open');
      expect(r.filled).toBe(0);
      expectNear(r.price!, limit, 1e-12, 'limit price');
      expect((await e.fetchOpenOrders(s.symbol)).map((o) => o.clientOrderId)).toContain(cid);
      expect((await e.fetchOpenOrders()).map((o) => o.clientOrderId)).toContain(cid);
      const reserved = await e.fetchBalances();
      expect(free(before, m.quote) - free(reserved, m.quote)).toBeGreaterThanOrEqual(amount * limit * (1 - 1e-9));

      const c = await e.cancelOrder(cid, s.symbol);
      expect(c.clientOrderId).toBe(cid);
      expect(c.status).toBe('canceled');
      expect((await e.fetchOpenOrders(s.symbol)).map((o) => o.clientOrderId)).not.toContain(cid);
      expect((await e.fetchOrder(cid, s.symbol))?.status).toBe('canceled');
      expectNear(free(await e.fetchBalances(), m.quote), free(before, m.quote), 1e-9, 'quote released');
    });

    it('a limit sell above the price rests and cancels', async () => {
      const limit = roundToStep(price * 1.1, m.priceStep);
      const cid = id();
      const r = await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'sell', type: 'limit', amount: smallAmount(m, limit), price: limit });
      expect(r.status).toBe('open');
      expect((await e.cancelOrder(cid, s.symbol)).status).toBe('canceled');
    });

    it('a resting limit buy fills at its limit once the price falls through it', async () => {
      const limit = roundToStep(price * 0.95, m.priceStep);
      const amount = smallAmount(m, limit);
      const cid = id();
      const since = Date.now() - 60_000;
      expect((await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'limit', amount, price: limit })).status).toBe('open');
      await s.setPrice(roundToStep(price * 0.94, m.priceStep));
      const r = await e.fetchOrder(cid, s.symbol);
      expect(r?.status).toBe('filled');
      expectNear(r!.filled, amount, 1e-9, 'filled');
      expect(r!.avgPrice!).toBeLessThanOrEqual(limit * (1 + 1e-9));
      const fills = (await e.fetchMyTrades(s.symbol, since)).filter((f) => f.clientOrderId === cid);
      expect(fills.length).toBeGreaterThan(0);
      expectNear(fills.reduce((a, f) => a + f.amount, 0), amount, 1e-9, 'fills');
      expect((await e.fetchOpenOrders(s.symbol)).map((o) => o.clientOrderId)).not.toContain(cid);
    });

    it('rejects a second order with the clientOrderId of an open order; the first stays open', async () => {
      const limit = roundToStep(price * 0.8, m.priceStep);
      const amount = smallAmount(m, limit);
      const cid = id();
      await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'limit', amount, price: limit });
      await expectKind(e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'limit', amount, price: limit }), 'rejected');
      const open = (await e.fetchOpenOrders(s.symbol)).filter((o) => o.clientOrderId === cid);
      expect(open).toHaveLength(1);
      await e.cancelOrder(cid, s.symbol);
    });

    it('fetchOrder finds an order by clientOrderId; an unknown clientOrderId gives undefined', async () => {
      const cid = id();
      const placed = await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'market', amount: smallAmount(m, price) });
      const found = await e.fetchOrder(cid, s.symbol);
      expect(found).toBeDefined();
      expect(found!.clientOrderId).toBe(cid);
      expect(found!.exchangeOrderId).toBe(placed.exchangeOrderId);
      expect(found!.status).toBe('filled');
      expectNear(found!.filled, placed.filled, 1e-12, 'filled');
      expect(await e.fetchOrder(id(), s.symbol)).toBeUndefined();
    });

    it('fetchMyTrades returns the fills of an order with its clientOrderId, price and fee', async () => {
      const since = Date.now() - 60_000;
      const cid = id();
      const r = await e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'market', amount: smallAmount(m, price) });
      const fills = (await e.fetchMyTrades(s.symbol, since)).filter((f) => f.clientOrderId === cid);
      expect(fills.length).toBeGreaterThan(0);
      expectNear(fills.reduce((a, f) => a + f.amount, 0), r.filled, 1e-9, 'fill amounts');
      for (const f of fills) {
        expect(f.symbol).toBe(s.symbol);
        expect(f.side).toBe('buy');
        expect(f.price).toBeGreaterThan(0);
        expect(f.fee).toBeGreaterThanOrEqual(0);
        expect(f.ts).toBeGreaterThan(0);
        expect(f.tradeId).not.toBe('');
      }
      if (r.fills.length > 0) expectNear(sumFills(r), r.filled, 1e-9, 'report fills');
    });

    it('an order the account cannot pay for is rejected and leaves nothing open', async () => {
      const balances = await e.fetchBalances();
      const amount = floorToStep((free(balances, m.quote) * 1.5) / price, m.amountStep);
      const cid = id();
      await expectKind(e.placeOrder({ clientOrderId: cid, symbol: s.symbol, side: 'buy', type: 'market', amount }), 'rejected');
      expect((await e.fetchOpenOrders(s.symbol)).map((o) => o.clientOrderId)).not.toContain(cid);
      expectNear(free(await e.fetchBalances(), m.quote), free(balances, m.quote), 1e-12, 'quote untouched');
    });

    it('an amount below the market minimum is rejected', async () => {
      const limit = roundToStep(price * 0.9, m.priceStep);
      // Below min notional if the minimum amount is worth less than it; else below the minimum amount.
      const tiny = m.minAmount * limit < m.minNotional ? m.minAmount : m.minAmount / 2;
      await expectKind(e.placeOrder({ clientOrderId: id(), symbol: s.symbol, side: 'buy', type: 'limit', amount: tiny, price: limit }), 'rejected');
    });

    it('cancelling an order the venue does not know is rejected', async () => {
      await expectKind(e.cancelOrder(id(), s.symbol), 'rejected');
    });

    it('withdraw takes the amount out of the free quote balance and answers with an id', async () => {
      const before = free(await e.fetchBalances(), m.quote);
      const amount = Math.floor(before / 10);
      const w = await e.withdraw({ currency: m.quote, amount, address: 'TXYZtreasury0000000000000000000001', network: 'TRX' });
      expect(w.id).not.toBe('');
      expect(w.currency).toBe(m.quote);
      expectNear(w.amount, amount, 1e-9, 'amount');
      expect(['pending', 'ok']).toContain(w.status);
      expectNear(free(await e.fetchBalances(), m.quote), before - amount, 1e-6, 'free quote after');
    });

    it('withdrawing more than is free is rejected and moves nothing', async () => {
      const before = free(await e.fetchBalances(), m.quote);
      await expectKind(e.withdraw({ currency: m.quote, amount: Math.ceil(before * 2), address: 'TXYZtreasury0000000000000000000001', network: 'TRX' }), 'rejected');
      expectNear(free(await e.fetchBalances(), m.quote), before, 1e-9, 'free quote untouched');
    });
  });
}
