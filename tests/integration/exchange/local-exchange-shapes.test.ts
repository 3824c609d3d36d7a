/**
 * The local exchange answers with payloads shaped like Binance's: every field of the documentation
 * examples (tests/fixtures/exchange/binance_docs_examples) and of the recorded ccxt answers is present
 * in the local answer to the same endpoint (recursively; first element of arrays). Also checks its
 * signature verification directly.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, TEST_API_KEY, TEST_API_SECRET, type LocalExchange } from '../../support/local-exchange/index.ts';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/exchange/${path}`, import.meta.url), 'utf8'));
const recorded = fixture('binance_response_subset.json') as { methods: Record<string, { description: string; httpResponse: unknown }[]> };
const recordedResponse = (method: string, description: string) => recorded.methods[method]!.find((c) => c.description === description)!.httpResponse;

/** Paths (a.b[0].c) present in `expected` but missing from `actual`. */
function missingFields(expected: unknown, actual: unknown, path = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path} (array expected)`];
    if (expected.length === 0 || actual.length === 0) return [];
    return missingFields(expected[0], actual[0], `${path}[0]`);
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path} (object expected)`];
    return Object.entries(expected).flatMap(([k, v]) => (k in (actual as object) ? missingFields(v, (actual as Record<string, unknown>)[k], `${path}.${k}`) : [`${path}.${k}`]));
  }
  return [];
}

describe('local exchange payload shapes', () => {
  let ex: LocalExchange;

  async function call(method: string, path: string, params: Record<string, string | number> = {}, signed = false): Promise<{ status: number; body: unknown }> {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]));
    const headers: Record<string, string> = {};
    if (signed) {
      query.set('timestamp', String(Date.now()));
      query.set('signature', createHmac('sha256', TEST_API_SECRET).update(query.toString()).digest('hex'));
      headers['X-MBX-APIKEY'] = TEST_API_KEY;
    }
    const inBody = method === 'POST';
    const url = `${ex.url}${path}${!inBody && [...query].length ? `?${query}` : ''}`;
    if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body: inBody ? query.toString() : undefined });
    return { status: res.status, body: await res.json() };
  }
  const ok = async (...args: Parameters<typeof call>) => {
    const r = await call(...args);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    ex = await start();
  });
  afterAll(async () => {
    await ex.close();
  });

  it('spot market data', async () => {
    expect(missingFields(fixture('binance_docs_examples/spot/http_json/server_time_response.json'), await ok('GET', '/api/v3/time'))).toEqual([]);
    const info = fixture('binance_docs_examples/spot/http_json/exchange_info_response.json') as Record<string, unknown>;
    delete info.sors; // smart order routing is not offered
    expect(missingFields(info, await ok('GET', '/api/v3/exchangeInfo'))).toEqual([]);
    const klines = (await ok('GET', '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h', limit: 3 })) as unknown[][];
    const docKlines = fixture('binance_docs_examples/spot/http_json/klines_response.json') as unknown[][];
    expect(klines).toHaveLength(3);
    expect(klines[0]!.map((v) => typeof v)).toEqual(docKlines[0]!.map((v) => typeof v));
    for (const [file, path] of [
      ['ticker_24hr_response.json', '/api/v3/ticker/24hr'],
      ['ticker_price_response.json', '/api/v3/ticker/price'],
      ['book_ticker_response.json', '/api/v3/ticker/bookTicker'],
      ['depth_response.json', '/api/v3/depth'],
      ['avg_price_response.json', '/api/v3/avgPrice'],
    ] as const) {
      expect(missingFields(fixture(`binance_docs_examples/spot/http_json/${file}`), await ok('GET', path, { symbol: 'BTCUSDT' })), file).toEqual([]);
    }
    expect(missingFields(recordedResponse('fetchTicker', 'public spot ticker'), await ok('GET', '/api/v3/ticker/24hr', { symbol: 'BTCUSDT' }))).toEqual([]);
  });

  it('spot account and orders', async () => {
    const docs = (f: string) => fixture(`binance_docs_examples/spot/http_json/${f}`);
    expect(missingFields(docs('account_response.json'), await ok('GET', '/api/v3/account', {}, true))).toEqual([]);
    const full = await ok('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001', newOrderRespType: 'FULL', newClientOrderId: 'shape-1' }, true);
    expect(missingFields(docs('new_order_full_response.json'), full)).toEqual([]);
    expect(missingFields(docs('account_trades_response.json'), await ok('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' }, true))).toEqual([]);
    expect(missingFields(recordedResponse('fetchOrder', 'Fetch spot closed order'), await ok('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'shape-1' }, true))).toEqual([]);
    await ok('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '40000', newClientOrderId: 'shape-2' }, true);
    expect(missingFields(docs('order_response.json'), await ok('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'shape-2' }, true))).toEqual([]);
    expect(missingFields(docs('open_orders_response.json'), await ok('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' }, true))).toEqual([]);
    expect(missingFields(docs('all_orders_response.json'), await ok('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' }, true))).toEqual([]);
    expect(missingFields(docs('cancel_order_response.json'), await ok('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'shape-2' }, true))).toEqual([]);
  });

  it('USDⓈ-M account, orders and positions', async () => {
    const docs = (f: string) => fixture(`binance_docs_examples/futures/http_json/${f}`);
    await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'shape-f1' }, true);
    const resting = await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000', newClientOrderId: 'shape-f2' }, true);
    expect(missingFields(docs('order_response.json'), resting)).toEqual([]);
    expect(missingFields(recordedResponse('createOrders', 'create swap orders'), [resting])).toEqual([]);
    expect(missingFields(recordedResponse('fetchOpenOrder', 'swap open order'), await ok('GET', '/fapi/v1/openOrder', { symbol: 'BTCUSDT', origClientOrderId: 'shape-f2' }, true))).toEqual([]);
    expect(missingFields(docs('account_info_v2.json'), await ok('GET', '/fapi/v2/account', {}, true))).toEqual([]);
    expect(missingFields(recordedResponse('fetchBalance', 'Linear swap balance'), await ok('GET', '/fapi/v3/account', {}, true))).toEqual([]);
    expect(missingFields(docs('balance.json'), await ok('GET', '/fapi/v2/balance', {}, true))).toEqual([]);
    expect(missingFields(docs('position_risk.json'), await ok('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' }, true))).toEqual([]);
    expect(missingFields(recordedResponse('fetchPositions', 'Fetch linear positions without symbols'), await ok('GET', '/fapi/v3/positionRisk', {}, true))).toEqual([]);
    expect(missingFields(recordedResponse('fetchMyTrades', 'Swap private trade'), await ok('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' }, true))).toEqual([]);
    const klines = (await ok('GET', '/fapi/v1/klines', { symbol: 'BTCUSDT', interval: '1m', limit: 3 })) as unknown[][];
    const recordedKlines = recordedResponse('fetchOHLCV', 'swap ohlcv') as unknown[][];
    expect(klines[0]!.map((v) => typeof v)).toEqual(recordedKlines[0]!.map((v) => typeof v));
  });

  it('signed endpoints: bad signature -1022 (400), unknown key -2015 (401), stale timestamp -1021', async () => {
    const q = new URLSearchParams({ timestamp: String(Date.now()) });
    const bad = await fetch(`${ex.url}/api/v3/account?${q}&signature=${'0'.repeat(64)}`, { headers: { 'X-MBX-APIKEY': TEST_API_KEY } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    const sig = createHmac('sha256', TEST_API_SECRET).update(q.toString()).digest('hex');
    const wrongKey = await fetch(`${ex.url}/api/v3/account?${q}&signature=${sig}`, { headers: { 'X-MBX-APIKEY': 'someone-else' } });
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { code: number }).code).toBe(-2015);
    const old = new URLSearchParams({ timestamp: String(Date.now() - 60_000) });
    const oldSig = createHmac('sha256', TEST_API_SECRET).update(old.toString()).digest('hex');
    const stale = await fetch(`${ex.url}/api/v3/account?${old}&signature=${oldSig}`, { headers: { 'X-MBX-APIKEY': TEST_API_KEY } });
    expect(((await stale.json()) as { code: number }).code).toBe(-1021);
  });

  it('a filled order’s clientOrderId may be reused; an open one may not (-2010 Duplicate order sent.)', async () => {
    const limit = { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '2000', newClientOrderId: 'dup-1' };
    await ok('POST', '/api/v3/order', limit, true);
    const dup = await call('POST', '/api/v3/order', limit, true);
    expect(dup).toEqual({ status: 400, body: { code: -2010, msg: 'Duplicate order sent.' } });
    await ok('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'reuse-1' }, true);
    await ok('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'reuse-1' }, true);
  });
});
