/**
 * Secrets never leave the adapter: with a known fake key and secret, every error it throws (message,
 * stack, cause, inspected form) and every log line it writes is free of the key, the secret, any
 * `signature=` and any request URL — across successes, retries and every failure family.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../../src/adapters/exchange/ccxt-client.ts';
import { newClientOrderId } from '../../../src/domain/orders.ts';
import { FAULTS, start, type LocalExchange } from '../../support/local-exchange/index.ts';
import { startHarness, type Harness } from './harness.ts';

const KEY = 'FAKEKEY-tradeops-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SECRET = 'FAKESECRET-tradeops-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Everything a log line or alert could show of an error. */
function renderings(err: unknown): string[] {
  const e = err as Error & { cause?: unknown };
  const out = [String(err), inspect(err, { depth: 6 }), JSON.stringify(err) ?? ''];
  if (e instanceof Error) out.push(e.message, e.stack ?? '');
  if (e?.cause instanceof Error) out.push(e.cause.message, e.cause.stack ?? '', inspect(e.cause));
  return out;
}

function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(KEY)) found.push('api key');
  if (text.includes(SECRET)) found.push('secret');
  if (/signature=/i.test(text)) found.push('signature=');
  if (/https?:\/\/127\.0\.0\.1/.test(text)) found.push('request URL');
  if (/timestamp=\d+/.test(text)) found.push('query string');
  return found;
}

describe('no secret, signature or request URL in errors or logs', () => {
  let h: Harness;
  let wrongSecretExchange: LocalExchange;
  const errors: unknown[] = [];
  const capture = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      errors.push(err);
    }
  };

  beforeAll(async () => {
    h = await startHarness({ local: { apiKey: KEY, secret: SECRET }, adapter: { timeoutMs: 300 } });
    const { adapter, local } = h;
    await adapter.loadMarkets();
    const buy = () => ({ clientOrderId: newClientOrderId('sec'), symbol: 'BTC/USDT', side: 'buy' as const, type: 'market' as const, amount: 0.001 });

    // successes (logged at debug/info)
    await adapter.fetchBalances();
    await adapter.placeOrder(buy());
    // retried then successful, and retries exhausted, on a signed endpoint
    local.faults.add('GET /api/v3/account', FAULTS.unavailable(), 2);
    await adapter.fetchBalances();
    local.faults.add('GET /api/v3/account', FAULTS.badGatewayHtml(), 5);
    await capture(adapter.fetchBalances());
    // timeout on a signed read and on order creation (ccxt puts the signed URL in the message)
    local.faults.add('GET /api/v3/openOrders', { hang: true }, 5);
    await capture(adapter.fetchOpenOrders('BTC/USDT'));
    local.faults.add('POST /api/v3/order', { hang: true });
    await capture(adapter.placeOrder(buy()));
    local.faults.add('POST /api/v3/order', { recordThenFail: { status: 500 } });
    await capture(adapter.placeOrder(buy()));
    // rate limit, auth (-2015 after success), rejection, client-side rejection
    local.faults.add('POST /api/v3/order', FAULTS.rateLimited(5));
    await capture(adapter.placeOrder(buy()));
    local.faults.add('GET /api/v3/account', FAULTS.invalidKey());
    await capture(adapter.fetchBalances());
    local.faults.add('POST /api/v3/order', FAULTS.insufficientBalance());
    await capture(adapter.placeOrder(buy()));
    await capture(adapter.placeOrder({ ...buy(), amount: 1e-12 }));
    await capture(adapter.cancelOrder('never-placed-1', 'BTC/USDT'));
    // Last: a ban stops every later request of this adapter (the request gate), and a refused call too.
    local.faults.add('GET /api/v3/account', FAULTS.banned(Date.now() + 60_000));
    await capture(adapter.fetchBalances());
    await capture(adapter.fetchBalances());

    // a venue that rejects our signature (-1022): the secret is wrong from its point of view
    wrongSecretExchange = await start({ apiKey: KEY, secret: 'the-venue-expects-another-secret' });
    const h2 = await startHarness({ local: { apiKey: KEY, secret: SECRET }, adapter: { baseUrl: wrongSecretExchange.url, apiKey: KEY, secret: SECRET } });
    await capture(h2.adapter.fetchBalances());
    h.log.lines.push(...h2.log.lines);
    await h2.close();
  });

  afterAll(async () => {
    await h.close();
    await wrongSecretExchange.close();
  });

  it('provoked every failure family', () => {
    expect(errors.length).toBeGreaterThanOrEqual(11);
    const kinds = new Set(errors.map((e) => (e as { kind?: string }).kind));
    for (const k of ['retryable', 'unknown-outcome', 'banned', 'auth', 'rejected']) expect(kinds, `kind ${k}`).toContain(k);
  });

  it('no thrown error shows the key, the secret, a signature or a request URL', () => {
    for (const err of errors) {
      for (const text of renderings(err)) expect(leaks(text), text.slice(0, 300)).toEqual([]);
    }
  });

  it('no log line shows them either', () => {
    expect(h.log.lines.length).toBeGreaterThan(5);
    expect(h.log.lines.some((l) => l.includes('retrying'))).toBe(true);
    for (const line of h.log.lines) expect(leaks(line), line.slice(0, 300)).toEqual([]);
  });

  it('the check can fail: the raw ccxt error for the same call does carry the signed URL', async () => {
    const { exchange } = await createCcxtClient({ exchangeId: 'binance', apiKey: KEY, secret: SECRET, marketType: 'spot', sandbox: false, baseUrl: h.local.url, timeoutMs: 300, enableRateLimit: false });
    await exchange.loadMarkets();
    h.local.faults.add('GET /api/v3/account', { hang: true });
    const raw = await exchange.fetchBalance().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(leaks(String(raw?.message))).toEqual(expect.arrayContaining(['signature=', 'request URL']));
  });
});
