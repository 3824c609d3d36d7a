import { describe, expect, it } from 'vitest';
import { MatchingEngine } from '../../../../src/adapters/exchange/sim/matching-engine.ts';
import { buildSimMarkets } from '../../../../src/adapters/exchange/sim/sim-markets.ts';
import { ExecutionError } from '../../../../src/ports/execution.ts';
import type { OrderRequest } from '../../../../src/domain/orders.ts';

const T0 = 1_700_000_000_000;
function engine(marketType: 'spot' | 'swap' = 'spot', extra: { slippageBps?: number; maxVolumeShare?: number; cash?: number } = {}) {
  const markets = buildSimMarkets({ marketType, symbols: [], takerFeeBps: 10, makerFeeBps: 5 });
  return new MatchingEngine({ markets, marketType, quote: 'USDT', cash: extra.cash ?? 10_000, slippageBps: extra.slippageBps ?? 0, maxVolumeShare: extra.maxVolumeShare });
}
const sym = (t: 'spot' | 'swap') => (t === 'swap' ? 'ETH/USDT:USDT' : 'ETH/USDT');
const order = (o: Partial<OrderRequest>): OrderRequest => ({ clientOrderId: 'c1', symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: 1, ...o });

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).kind).toBe('rejected');
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('MatchingEngine — market orders', () => {
  it('fills a market buy at the reference price plus slippage, charges the taker fee and moves both balances', () => {
    const e = engine('spot', { slippageBps: 10 });
    const r = e.placeOrder(order({ amount: 2 }), T0, 3000);
    // 3000 × 1.001 = 3003 (on the 0.01 tick); fee 0.1 % of 6006 = 6.006
    expect(r.status).toBe('filled');
    expect(r.avgPrice).toBe(3003);
    expect(r.fee).toBeCloseTo(6.006, 10);
    expect(r.fills[0]!.liquidity).toBe('taker');
    const b = e.balances();
    expect(b.USDT!.free).toBeCloseTo(10_000 - 6006 - 6.006, 8);
    expect(b.ETH!.free).toBe(2);
    const s = e.placeOrder(order({ clientOrderId: 'c2', side: 'sell', amount: 2 }), T0 + 1, 3100);
    // Sell slips down: 3100 × 0.999 = 3096.9
    expect(s.avgPrice).toBeCloseTo(3096.9, 8);
    expect(e.balances().ETH!.free).toBe(0);
    expect(e.trades('ETH/USDT').map((f) => f.side)).toEqual(['buy', 'sell']);
    expect(e.trades('ETH/USDT', T0 + 1)).toHaveLength(1);
  });

  it('refuses what a real venue refuses, with the reason', () => {
    const e = engine();
    expect(rejection(() => e.placeOrder(order({ symbol: 'DOGE/BTC' }), T0, 1))).toMatch(/unknown symbol DOGE\/BTC/);
    expect(rejection(() => e.placeOrder(order({ amount: 0.00005 }), T0, 3000))).toMatch(/lot step 0\.0001/);
    expect(rejection(() => e.placeOrder(order({ amount: 0.001 }), T0, 3000))).toMatch(/minimum notional 5/);
    expect(rejection(() => e.placeOrder(order({ amount: 10 }), T0, 3000))).toMatch(/insufficient balance/);
    expect(rejection(() => e.placeOrder(order({ side: 'sell', amount: 1 }), T0, 3000))).toMatch(/insufficient balance: needs 1 ETH/);
    expect(rejection(() => e.placeOrder(order({ type: 'limit', price: 2999.999 }), T0, 3000))).toMatch(/tick size 0\.01/);
    expect(rejection(() => e.placeOrder(order({ clientOrderId: 'bad id!' }), T0, 3000))).toMatch(/clientOrderId/);
    expect(rejection(() => e.placeOrder(order({}), T0, undefined))).toMatch(/market orders need a last price/);
    // Nothing was booked by the refusals.
    expect(e.balances().USDT!.free).toBe(10_000);
    expect(e.fetchOrder('c1')).toBeUndefined();
  });
});

describe('MatchingEngine — limit orders', () => {
  it('rests a limit buy, reserves its cost, fills as maker when a later candle trades through, and frees the reservation', () => {
    const e = engine('spot', { maxVolumeShare: Infinity });
    const r = e.placeOrder(order({ type: 'limit', price: 2900, amount: 1 }), T0, 3000);
    expect(r.status).toBe('open');
    // 2900 + 0.05 % maker fee reserved
    expect(e.balances().USDT!.used).toBeCloseTo(2901.45, 8);
    // A candle that opened before the order was placed is not matched against it.
    e.matchCandle('ETH/USDT', T0 - 60_000, 3000, 3000, 2800, 2950, 100);
    expect(e.fetchOrder('c1')!.status).toBe('open');
    e.matchCandle('ETH/USDT', T0 + 60_000, 3000, 3010, 2950, 3005, 100);
    expect(e.fetchOrder('c1')!.status).toBe('open');
    e.matchCandle('ETH/USDT', T0 + 120_000, 3000, 3001, 2899, 2950, 100);
    const f = e.fetchOrder('c1')!;
    expect(f.status).toBe('filled');
    expect(f.avgPrice).toBe(2900);
    expect(f.fills[0]!.liquidity).toBe('maker');
    expect(f.fee).toBeCloseTo(1.45, 10);
    const b = e.balances();
    expect(b.USDT!.used).toBe(0);
    expect(b.USDT!.free).toBeCloseTo(10_000 - 2901.45, 8);
    expect(e.openOrders()).toHaveLength(0);
  });

  it('fills at most the configured share of each candle volume (partial fills on thin candles)', () => {
    const e = engine('spot', { maxVolumeShare: 0.1 });
    e.placeOrder(order({ type: 'limit', price: 2900, amount: 2 }), T0, 3000);
    e.matchCandle('ETH/USDT', T0 + 60_000, 2950, 2960, 2890, 2900, 12.5); // 10 % of 12.5 = 1.25
    let r = e.fetchOrder('c1')!;
    expect(r.status).toBe('partially_filled');
    expect(r.filled).toBe(1.25);
    expect(e.openOrders()).toHaveLength(1);
    e.matchCandle('ETH/USDT', T0 + 120_000, 2900, 2920, 2880, 2900, 100);
    r = e.fetchOrder('c1')!;
    expect(r.status).toBe('filled');
    expect(r.filled).toBe(2);
    expect(r.fills.map((f) => f.amount)).toEqual([1.25, 0.75]);
    expect(e.balances().USDT!.used).toBe(0);
  });

  it('fills a marketable limit at once as taker at the reference price', () => {
    const e = engine();
    const r = e.placeOrder(order({ type: 'limit', price: 3100, amount: 1 }), T0, 3000);
    expect(r.status).toBe('filled');
    expect(r.avgPrice).toBe(3000);
    expect(r.fills[0]!.liquidity).toBe('taker');
  });

  it('keeps clientOrderIds unique among open orders, allows reuse after the order closed, and cancels', () => {
    const e = engine();
    e.placeOrder(order({ clientOrderId: 'dup', type: 'limit', price: 2000 }), T0, 3000);
    expect(rejection(() => e.placeOrder(order({ clientOrderId: 'dup', type: 'limit', price: 2100 }), T0, 3000))).toMatch(/duplicate clientOrderId dup/);
    const c = e.cancelOrder('dup', 'ETH/USDT', T0 + 1);
    expect(c.status).toBe('canceled');
    expect(e.balances().USDT).toEqual({ free: 10_000, used: 0, total: 10_000 });
    expect(rejection(() => e.cancelOrder('dup', 'ETH/USDT', T0 + 2))).toMatch(/canceled and cannot be canceled/);
    expect(rejection(() => e.cancelOrder('nope', 'ETH/USDT', T0 + 2))).toMatch(/unknown order nope/);
    const again = e.placeOrder(order({ clientOrderId: 'dup' }), T0 + 3, 3000);
    expect(again.status).toBe('filled');
    expect(e.fetchOrder('dup')!.exchangeOrderId).toBe(again.exchangeOrderId);
  });
});

describe('MatchingEngine — swap (margin) accounts', () => {
  it('opens a short, realises its P&L on the buy-back and refuses reduceOnly orders that would add exposure', () => {
    const e = engine('swap');
    const s = sym('swap');
    const opened = e.placeOrder(order({ symbol: s, side: 'sell', amount: 1 }), T0, 3000);
    expect(opened.status).toBe('filled');
    let b = e.balances().USDT!;
    // Margin 3000 at 1× plus the 3 USDT fee gone.
    expect(b.used).toBeCloseTo(3000, 8);
    expect(b.total).toBeCloseTo(9997, 8);
    expect(rejection(() => e.placeOrder(order({ clientOrderId: 'r1', symbol: s, side: 'sell', amount: 1, reduceOnly: true }), T0 + 1, 2900))).toMatch(/reduceOnly/);
    e.placeOrder(order({ clientOrderId: 'r2', symbol: s, side: 'buy', amount: 1, reduceOnly: true }), T0 + 2, 2800);
    b = e.balances().USDT!;
    // +200 on the short, fees 3 + 2.8
    expect(b.total).toBeCloseTo(10_000 + 200 - 3 - 2.8, 8);
    expect(b.used).toBe(0);
  });

  it('refuses an entry larger than the free margin', () => {
    const e = engine('swap', { cash: 1000 });
    expect(rejection(() => e.placeOrder(order({ symbol: sym('swap'), amount: 1 }), T0, 3000))).toMatch(/insufficient margin/);
  });
});

describe('MatchingEngine — without history (the backtester)', () => {
  const markets = () => buildSimMarkets({ marketType: 'spot', symbols: [], takerFeeBps: 10, makerFeeBps: 5 });

  it('keeps no filled or canceled order and no fill, and fills and balances exactly as with history', () => {
    const bare = new MatchingEngine({ markets: markets(), marketType: 'spot', quote: 'USDT', cash: 10_000, history: false });
    const kept = new MatchingEngine({ markets: markets(), marketType: 'spot', quote: 'USDT', cash: 10_000 });
    for (const e of [bare, kept]) {
      e.placeOrder(order({ amount: 2 }), T0, 3000);
      e.placeOrder(order({ clientOrderId: 'rest', type: 'limit', price: 2900, amount: 1 }), T0, 3000);
    }
    expect(kept.fetchOrder('c1')?.status).toBe('filled');
    expect(kept.trades('ETH/USDT')).toHaveLength(1);
    expect(bare.fetchOrder('c1')).toBeUndefined();
    expect(bare.trades('ETH/USDT')).toEqual([]);
    // A resting order is known while open, and can be canceled; once closed it is forgotten.
    expect(bare.fetchOrder('rest')?.status).toBe('open');
    expect(bare.cancelOrder('rest', 'ETH/USDT', T0 + 1).status).toBe('canceled');
    expect(bare.fetchOrder('rest')).toBeUndefined();
    kept.cancelOrder('rest', 'ETH/USDT', T0 + 1);
    expect(bare.balances()).toEqual(kept.balances());
  });
  it('answers a marketable order as with history, and a resting one keeps a copy of its request', () => {
    const bare = new MatchingEngine({ markets: markets(), marketType: 'spot', quote: 'USDT', cash: 10_000, history: false });
    const kept = new MatchingEngine({ markets: markets(), marketType: 'spot', quote: 'USDT', cash: 10_000 });
    const reports = [bare, kept].map((e) => [
      e.placeOrder(order({ amount: 2 }), T0, 3000),
      e.placeOrder(order({ clientOrderId: 'c2', side: 'sell', amount: 0.5 }), T0 + 60_000, 3100),
      e.placeOrder(order({ clientOrderId: 'c3', type: 'limit', price: 3200, amount: 0.5 }), T0 + 120_000, 3150),
    ]);
    expect(reports[0]).toEqual(reports[1]);
    expect(reports[0]![0]!.fills).toHaveLength(1);
    // A resting order is kept: changing the request it was sent with afterwards changes nothing.
    const rest = order({ clientOrderId: 'rest', type: 'limit', price: 2900, amount: 1 });
    bare.placeOrder(rest, T0, 3000);
    rest.price = 1;
    expect(bare.fetchOrder('rest')?.price).toBe(2900);
  });
});
