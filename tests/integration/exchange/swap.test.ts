/** Linear USDT perpetuals through the ccxt adapter: leverage cap, long and short, reduce-only, fills, open interest. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClientOrderId } from '../../../src/domain/orders.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { DEFAULT_LEVERAGE, FUTURES_TAKER_FEE } from '../../support/local-exchange/index.ts';
import { startHarness, type Harness } from './harness.ts';

const SYMBOL = 'BTC/USDT:USDT';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ marketType: 'swap', adapter: { maxLeverage: 5 } });
  await h.adapter.loadMarkets();
});
afterEach(async () => {
  await h.close();
});

const order = (side: 'buy' | 'sell', amount: number, extra: { reduceOnly?: boolean } = {}) =>
  h.adapter.placeOrder({ clientOrderId: newClientOrderId('sw'), symbol: SYMBOL, side, type: 'market', amount, ...extra });

describe('leverage', () => {
  it('setLeverage is capped at maxLeverage and applied at the venue', async () => {
    expect(await h.adapter.setLeverage(SYMBOL, 50)).toBe(5);
    expect(h.local.state.futures.leverageOf('BTCUSDT')).toBe(5);
    expect(await h.adapter.setLeverage(SYMBOL, 2)).toBe(2);
    expect(h.local.state.futures.leverageOf('BTCUSDT')).toBe(2);
    expect(h.log.lines.some((l) => l.includes('leverage capped'))).toBe(true);
  });

  it('the first order on a symbol caps the venue’s default leverage before it is sent', async () => {
    expect(h.local.state.futures.leverageOf('ETHUSDT')).toBe(DEFAULT_LEVERAGE);
    await h.adapter.placeOrder({ clientOrderId: newClientOrderId('sw'), symbol: 'ETH/USDT:USDT', side: 'buy', type: 'market', amount: 0.01 });
    expect(h.local.state.futures.leverageOf('ETHUSDT')).toBe(5);
    const paths = h.local.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.indexOf('POST /fapi/v1/leverage')).toBeLessThan(paths.indexOf('POST /fapi/v1/order'));
    await h.adapter.placeOrder({ clientOrderId: newClientOrderId('sw'), symbol: 'ETH/USDT:USDT', side: 'buy', type: 'market', amount: 0.01 });
    expect(h.local.count('POST /fapi/v1/leverage')).toBe(1);
  });
});

describe('long and short', () => {
  it('buys open a long, sells flip it short, reduce-only closes; fills and fees come with each report', async () => {
    const futures = h.local.state.futures;
    const walletBefore = futures.wallet;
    const long = await order('buy', 0.01);
    expect(long.status).toBe('filled');
    expect(long.fills.length).toBeGreaterThan(0);
    expect(long.fee).toBeCloseTo(0.01 * 50_000 * FUTURES_TAKER_FEE, 8);
    expect(long.feeCurrency).toBe('USDT');
    expect(futures.position('BTCUSDT').amt).toBeCloseTo(0.01, 10);

    const short = await order('sell', 0.03);
    expect(short.side).toBe('sell');
    expect(futures.position('BTCUSDT').amt).toBeCloseTo(-0.02, 10);

    h.local.state.setPrice(SYMBOL, 49_000);
    const close = await order('buy', 0.02, { reduceOnly: true });
    expect(close.status).toBe('filled');
    expect(futures.position('BTCUSDT').amt).toBeCloseTo(0, 10);
    // Short 0.02 from 50,000 closed at 49,000: +20 USDT, minus three taker fees.
    const fees = (0.01 * 50_000 + 0.03 * 50_000 + 0.02 * 49_000) * FUTURES_TAKER_FEE;
    expect(futures.wallet - walletBefore).toBeCloseTo(20 - fees, 6);
    const balances = await h.adapter.fetchBalances();
    expect(balances.USDT!.total).toBeCloseTo(futures.wallet, 6);
    expect(h.local.requests.find((r) => r.path === '/fapi/v1/order' && r.method === 'POST' && r.params.reduceOnly === 'true')).toBeDefined();
  });

  it('reduce-only with no position is rejected by the venue', async () => {
    const err = await order('sell', 0.01, { reduceOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as ExecutionError).kind).toBe('rejected');
    expect((err as ExecutionError).message).toContain('-2022');
  });

  it('an order beyond the margin the capped leverage allows is rejected', async () => {
    // 10,000 USDT wallet at 5x → at most ~50,000 USDT of notional.
    const err = await order('buy', 1.2).catch((e: unknown) => e);
    expect((err as ExecutionError).kind).toBe('rejected');
    expect((err as ExecutionError).message).toContain('Margin is insufficient');
  });

  it('fetchMyTrades maps swap fills to our clientOrderIds', async () => {
    const since = Date.now() - 60_000;
    const r = await order('sell', 0.005);
    const fills = await h.adapter.fetchMyTrades(SYMBOL, since);
    expect(fills.map((f) => f.clientOrderId)).toContain(r.clientOrderId);
    expect(fills.find((f) => f.clientOrderId === r.clientOrderId)).toMatchObject({ side: 'sell', amount: 0.005, feeCurrency: 'USDT' });
  });
});

describe('swap market data', () => {
  it('fetchOpenInterest reports the venue’s open interest', async () => {
    expect(h.adapter.fetchOpenInterest).toBeTypeOf('function');
    const before = await h.adapter.fetchOpenInterest!(SYMBOL);
    await order('buy', 0.05);
    const after = await h.adapter.fetchOpenInterest!(SYMBOL);
    expect(before).toBeGreaterThan(0);
    expect(after! - before!).toBeCloseTo(0.05, 6);
  });

  it('spot adapters do not offer open interest', async () => {
    const spot = await startHarness();
    expect(spot.adapter.fetchOpenInterest).toBeUndefined();
    await spot.close();
  });
});
