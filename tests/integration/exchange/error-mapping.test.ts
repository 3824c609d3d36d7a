/**
 * Error mapping and retry policy of the ccxt adapter, driven through real HTTP faults injected into
 * the local exchange (sleeps are recorded, not waited).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newClientOrderId } from '../../../src/domain/orders.ts';
import { ExecutionError, type ExecutionErrorKind } from '../../../src/ports/execution.ts';
import { FAULTS, binanceError } from '../../support/local-exchange/index.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(o: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(o);
  await h.adapter.loadMarkets();
  return h;
}

async function failure(p: Promise<unknown>, kind: ExecutionErrorKind): Promise<ExecutionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ExecutionError(${kind}), got ${String(err)}`).toBeInstanceOf(ExecutionError);
  expect((err as ExecutionError).kind, (err as Error).message).toBe(kind);
  return err as ExecutionError;
}

const TICKER = 'GET /api/v3/ticker/24hr';
const ORDER = 'POST /api/v3/order';
const buy = (clientOrderId = newClientOrderId('em')) => ({ clientOrderId, symbol: 'BTC/USDT', side: 'buy' as const, type: 'market' as const, amount: 0.001 });

describe('reads: bounded retries with backoff 1/2/5/10 s', () => {
  it('429 with Retry-After is retried after the server’s delay, then succeeds', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(TICKER, FAULTS.rateLimited(3), 2);
    expect(await adapter.fetchPrice('BTC/USDT')).toBe(50_000);
    expect(sleeps).toEqual([3_000, 3_000]);
    expect(local.count(TICKER)).toBe(3);
  });

  it('5xx four times then success: four retries with the default backoff', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(TICKER, FAULTS.unavailable(), 4);
    expect(await adapter.fetchPrice('BTC/USDT')).toBe(50_000);
    expect(sleeps).toEqual([1_000, 2_000, 5_000, 10_000]);
  });

  it('retries exhausted → ExecutionError retryable after 5 attempts', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(TICKER, FAULTS.unavailable(), 5);
    const err = await failure(adapter.fetchPrice('BTC/USDT'), 'retryable');
    expect(err.message).toContain('failed after retries');
    expect(sleeps).toEqual([1_000, 2_000, 5_000, 10_000]);
    expect(local.count(TICKER)).toBe(5);
  });

  it('a 502 without JSON and a timed-out request are retried like any network failure', async () => {
    const { adapter, local, sleeps } = await harness({ adapter: { timeoutMs: 300 } });
    local.faults.add('GET /api/v3/klines', FAULTS.badGatewayHtml()).add('GET /api/v3/klines', { hang: true });
    const candles = await adapter.fetchCandles('BTC/USDT', '1m', undefined, 5);
    expect(candles.length).toBe(5);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('a Retry-After longer than the allowed wait is not waited out: retryable with retryAt', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(TICKER, FAULTS.rateLimited(3_600));
    const before = Date.now();
    const err = await failure(adapter.fetchPrice('BTC/USDT'), 'retryable');
    expect(sleeps).toEqual([]);
    expect(err.retryAt).toBeGreaterThanOrEqual(before + 3_600_000);
  });

  it('a slow answer within the timeout is just slow (delay fault)', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(TICKER, { delayMs: 50 });
    expect(await adapter.fetchPrice('BTC/USDT')).toBe(50_000);
    expect(sleeps).toEqual([]);
  });
});

describe('bans, auth and venue rejections are not retried', () => {
  it('418 → banned with retryAt = the ban end the venue names', async () => {
    const { adapter, local, sleeps } = await harness();
    const until = Date.now() + 7 * 60_000;
    local.faults.add(TICKER, FAULTS.banned(until));
    const err = await failure(adapter.fetchPrice('BTC/USDT'), 'banned');
    expect(err.retryAt).toBe(until);
    expect(sleeps).toEqual([]);
    expect(local.count(TICKER)).toBe(1);
  });

  it('418 without a ban end → retryAt from Retry-After', async () => {
    const { adapter, local } = await harness();
    local.faults.add(TICKER, { status: 418, headers: { 'Retry-After': '120' }, body: binanceError(-1003, 'Way too much request weight used.') });
    const before = Date.now();
    const err = await failure(adapter.fetchPrice('BTC/USDT'), 'banned');
    expect(err.retryAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(err.retryAt).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('a wrong secret (-1022) → auth', async () => {
    const { adapter } = await harness({ adapter: { secret: 'definitely-not-the-secret-0000' } });
    const err = await failure(adapter.fetchBalances(), 'auth');
    expect(err.message).toContain('-1022');
  });

  it('a wrong API key (-2015, 401) → auth', async () => {
    const { adapter, local, sleeps } = await harness({ adapter: { apiKey: 'unknown-key-0000000000' } });
    await failure(adapter.fetchBalances(), 'auth');
    expect(sleeps).toEqual([]);
    expect(local.count('GET /api/v3/account')).toBe(1);
  });

  it('-2015 after earlier successful private calls (ccxt: DDoSProtection) is still auth, not a rate limit', async () => {
    const { adapter, local, sleeps } = await harness();
    await adapter.fetchBalances();
    local.faults.add('GET /api/v3/account', FAULTS.invalidKey());
    await failure(adapter.fetchBalances(), 'auth');
    expect(sleeps).toEqual([]);
  });

  it('-2010 insufficient balance → rejected with the venue’s reason, order sent once', async () => {
    const { adapter, local } = await harness();
    local.faults.add(ORDER, FAULTS.insufficientBalance());
    const err = await failure(adapter.placeOrder(buy()), 'rejected');
    expect(err.message).toContain('Account has insufficient balance for requested action.');
    expect(err.message).toContain('-2010');
    expect(local.count(ORDER)).toBe(1);
  });

  it('-1121 invalid symbol and -1013 filter failure → rejected', async () => {
    const { adapter, local } = await harness();
    local.faults.add(ORDER, FAULTS.invalidSymbol()).add(ORDER, FAULTS.filterFailure('LOT_SIZE'));
    expect((await failure(adapter.placeOrder(buy()), 'rejected')).message).toContain('Invalid symbol.');
    expect((await failure(adapter.placeOrder(buy()), 'rejected')).message).toContain('LOT_SIZE');
  });

  it('a symbol the venue does not list is rejected before any order request', async () => {
    const { adapter, local } = await harness();
    await failure(adapter.placeOrder({ ...buy(), symbol: 'DOGE/EUR' }), 'rejected');
    expect(local.count(ORDER)).toBe(0);
  });
});

describe('order creation is never retried', () => {
  it('a timed-out createOrder → unknown-outcome; the lookup then settles it (never reached the book)', async () => {
    const { adapter, local, sleeps } = await harness({ adapter: { timeoutMs: 300 } });
    local.faults.add(ORDER, { hang: true });
    const cid = newClientOrderId('em');
    const err = await failure(adapter.placeOrder(buy(cid)), 'unknown-outcome');
    expect(err.message).toContain('clientOrderId');
    expect(err.refusedOnArrival).toBeUndefined();
    expect(local.count(ORDER)).toBe(1);
    expect(sleeps).toEqual([]);
    expect(await adapter.fetchOrder(cid, 'BTC/USDT')).toBeUndefined();
  });

  it('recordThenFail (order created, answer lost) → unknown-outcome; fetchOrder by clientOrderId finds it; no resend', async () => {
    const { adapter, local } = await harness({ adapter: { timeoutMs: 300 } });
    local.faults.add(ORDER, { recordThenFail: 'hang' });
    const cid = newClientOrderId('em');
    await failure(adapter.placeOrder(buy(cid)), 'unknown-outcome');
    const found = await adapter.fetchOrder(cid, 'BTC/USDT');
    expect(found?.status).toBe('filled');
    expect(found?.clientOrderId).toBe(cid);
    expect(found?.fills.length).toBeGreaterThan(0);
    expect(local.count(ORDER)).toBe(1);
    expect(local.requests.filter((r) => r.path === '/api/v3/order' && r.method === 'GET').at(-1)?.params.origClientOrderId).toBe(cid);
  });

  it('recordThenFail with a 500 answer → unknown-outcome; the order exists', async () => {
    const { adapter, local } = await harness();
    local.faults.add(ORDER, { recordThenFail: { status: 500 } });
    const cid = newClientOrderId('em');
    await failure(adapter.placeOrder(buy(cid)), 'unknown-outcome');
    expect((await adapter.fetchOrder(cid, 'BTC/USDT'))?.status).toBe('filled');
    expect(local.count(ORDER)).toBe(1);
  });

  it('503 and 429 on createOrder → unknown-outcome (429 carries retryAt and is marked refused on arrival), one request each', async () => {
    const { adapter, local, sleeps } = await harness();
    local.faults.add(ORDER, FAULTS.unavailable()).add(ORDER, FAULTS.rateLimited(10));
    const unavailable = await failure(adapter.placeOrder(buy()), 'unknown-outcome');
    expect(unavailable.refusedOnArrival).toBeUndefined(); // a 503 may still be executed: its window counts
    const limited = await failure(adapter.placeOrder(buy()), 'unknown-outcome');
    expect(limited.retryAt).toBeGreaterThan(Date.now() + 5_000);
    expect(limited.refusedOnArrival).toBe(true);
    expect(local.count(ORDER)).toBe(2);
    expect(sleeps).toEqual([]);
  });

  it('-1007 "execution status unknown" → unknown-outcome', async () => {
    const { adapter, local } = await harness();
    local.faults.add(ORDER, { status: 400, body: binanceError(-1007, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.') });
    await failure(adapter.placeOrder(buy()), 'unknown-outcome');
  });

  it('an amount below the lot precision is rejected before anything is sent', async () => {
    const { adapter, local } = await harness();
    await failure(adapter.placeOrder({ ...buy(), amount: 0.000000001 }), 'rejected');
    expect(local.count(ORDER)).toBe(0);
  });
});

describe('cancel is idempotent', () => {
  it('a cancel whose answer was lost is retried; the retry learns the order is already canceled', async () => {
    const { adapter, local, sleeps } = await harness();
    const cid = newClientOrderId('em');
    await adapter.placeOrder({ clientOrderId: cid, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: 0.001, price: 40_000 });
    local.faults.add('DELETE /api/v3/order', { recordThenFail: { status: 502, body: 'bad gateway' } });
    const r = await adapter.cancelOrder(cid, 'BTC/USDT');
    expect(r.status).toBe('canceled');
    expect(r.clientOrderId).toBe(cid);
    expect(sleeps).toEqual([1_000]);
    expect(local.count('DELETE /api/v3/order')).toBe(2);
  });

  it('cancelling a filled order reports it filled instead of failing', async () => {
    const { adapter } = await harness();
    const cid = newClientOrderId('em');
    await adapter.placeOrder({ clientOrderId: cid, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001 });
    expect((await adapter.cancelOrder(cid, 'BTC/USDT')).status).toBe('filled');
  });
});
