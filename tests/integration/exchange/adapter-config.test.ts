/**
 * Configuration of the ccxt adapter: exchange ids, capability checks, EXCHANGE_URL rewrite, market
 * type restriction, sandbox/demo switch, ccxt's own retry/throttle settings, lazy loading of ccxt.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { missingCapabilities } from '../../../src/adapters/exchange/capabilities.ts';
import { createCcxtClient, restrictMarketTypes, rewriteApiUrls } from '../../../src/adapters/exchange/ccxt-client.ts';
import { createCcxtExchange } from '../../../src/adapters/exchange/ccxt-exchange.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { captureLogger, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const base = { sandbox: false, maxLeverage: 3 } as const;

/** The AppError a promise rejects with, or a function throws. */
async function appError(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('exchange id', () => {
  it('an unknown id is a BAD_REQUEST that says how to find valid ids', async () => {
    const err = await appError(createCcxtExchange({ ...base, exchangeId: 'binanse', marketType: 'spot', logger: captureLogger().logger }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toContain('EXCHANGE: got "binanse" — not a ccxt exchange id');
    expect(err.message).toContain('did you mean');
    expect(err.message).toContain('binance');
    expect(err.message).toContain('exchanges');
  });

  it('any ccxt exchange id works (no network needed to build it)', async () => {
    const ex = await createCcxtExchange({ ...base, exchangeId: 'kraken', marketType: 'spot', logger: captureLogger().logger });
    expect(ex.exchangeId).toBe('kraken');
    expect(ex.market('BTC/USD')).toBeUndefined();
    await ex.close();
  });
});

describe('capability check', () => {
  it('lists every missing capability and credential in one error', async () => {
    const ex = await createCcxtExchange({ ...base, exchangeId: 'paymium', marketType: 'swap', logger: captureLogger().logger });
    const err = await appError(() => ex.checkCapabilities('live'));
    expect(err.code).toBe('BAD_REQUEST');
    const missing = err.details!.missing as string[];
    expect(missing).toEqual(expect.arrayContaining(['fetchOHLCV', 'setLeverage', 'credential apiKey', 'credential secret']));
    for (const m of missing) expect(err.message).toContain(m);
    const paper = await appError(() => ex.checkCapabilities('paper'));
    expect(paper.details!.missing).toEqual(expect.arrayContaining(['fetchOHLCV']));
    expect(paper.details!.missing).not.toContain('credential apiKey');
  });

  it('credentials tradeops cannot supply (uid) are listed too', async () => {
    const ex = await createCcxtExchange({ ...base, exchangeId: 'coinmate', marketType: 'spot', apiKey: 'k'.repeat(16), secret: 's'.repeat(16), logger: captureLogger().logger });
    const err = await appError(() => ex.checkCapabilities('live'));
    expect(err.details!.missing).toContain('credential uid');
    expect(err.details!.missing).not.toContain('credential apiKey');
  });

  it('binance with credentials passes both modes; without them live fails on credentials only', async () => {
    h = await startHarness({ marketType: 'swap' });
    expect(() => h!.adapter.checkCapabilities('live')).not.toThrow();
    expect(() => h!.adapter.checkCapabilities('paper')).not.toThrow();
    const anon = await createCcxtExchange({ ...base, exchangeId: 'binance', marketType: 'spot', logger: captureLogger().logger });
    const err = await appError(() => anon.checkCapabilities('live'));
    expect(err.details!.missing).toEqual(['credential apiKey', 'credential secret']);
  });

  it('missingCapabilities: true and emulated count, anything else is missing; swap live needs setLeverage and fetchPositions', () => {
    const has = { fetchMarkets: true, fetchOHLCV: 'emulated', fetchTicker: true, createOrder: true, cancelOrder: true, fetchOrder: false, fetchOpenOrders: true, fetchBalance: true };
    expect(missingCapabilities({ exchangeId: 'x', has, marketType: 'spot', mode: 'paper', missingCredentials: [] })).toEqual([]);
    expect(missingCapabilities({ exchangeId: 'x', has, marketType: 'swap', mode: 'live', missingCredentials: ['secret'] })).toEqual(['fetchOrder', 'fetchMyTrades', 'setLeverage', 'fetchPositions', 'credential secret']);
  });
});

describe('EXCHANGE_URL rewrite', () => {
  it('every REST call of the adapter reaches the local server', async () => {
    h = await startHarness();
    await h.adapter.loadMarkets();
    await h.adapter.fetchPrice('BTC/USDT');
    await h.adapter.fetchBalances();
    const paths = h.local.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /api/v3/exchangeInfo', 'GET /api/v3/ticker/24hr', 'GET /api/v3/account']));
  });

  it('loads only the configured market type (spot: no futures/margin/currency endpoints)', async () => {
    h = await startHarness();
    const markets = await h.adapter.loadMarkets();
    expect([...markets.keys()].sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'LTC/USDT', 'SOL/USDT']);
    expect(h.local.requests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo']);
  });

  it('swap loads linear USDT perpetuals only', async () => {
    h = await startHarness({ marketType: 'swap' });
    const markets = await h.adapter.loadMarkets();
    expect([...markets.keys()].sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'LTC/USDT:USDT']);
    expect(markets.get('BTC/USDT:USDT')).toMatchObject({ type: 'swap', amountStep: 0.001, priceStep: 0.1, minAmount: 0.001, minNotional: 100, contractSize: 1, takerFee: 0.0005 });
    expect(h.local.requests.map((r) => r.path)).toEqual(['/fapi/v1/exchangeInfo']);
  });

  it('rewriteApiUrls: scheme+host of every http string, nested objects, ws untouched, base path kept', () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      nested: { spot: 'https://api.{hostname}/v5', deeper: { x: 'http://a.b:81/p?q=1' } },
      ws: { public: 'wss://stream.binance.com:9443/ws' },
      wsUrl: 'wss://x/ws',
      notAUrl: 'token',
    };
    expect(rewriteApiUrls(api, 'http://127.0.0.1:9000/')).toEqual({
      public: 'http://127.0.0.1:9000/api/v3',
      nested: { spot: 'http://127.0.0.1:9000/v5', deeper: { x: 'http://127.0.0.1:9000/p?q=1' } },
      ws: { public: 'wss://stream.binance.com:9443/ws' },
      wsUrl: 'wss://x/ws',
      notAUrl: 'token',
    });
    expect(rewriteApiUrls('https://api.kraken.com', 'http://proxy:8080/kraken')).toBe('http://proxy:8080/kraken');
    expect(api.public).toBe('https://api.binance.com/api/v3');
  });

  it('restrictMarketTypes: arrays and maps of types, for spot and swap', () => {
    expect(restrictMarketTypes({ types: ['spot', 'linear', 'inverse', 'option'] }, 'swap')).toEqual({ types: ['linear'] });
    expect(restrictMarketTypes({ types: ['spot', 'future', 'swap', 'option'] }, 'swap')).toEqual({ types: ['swap'] });
    expect(restrictMarketTypes({ types: ['spot', 'swap'] }, 'spot')).toEqual({ types: ['spot'] });
    expect(restrictMarketTypes({ types: { spot: true, linear: true, inverse: true } }, 'swap')).toEqual({ types: { spot: false, linear: true, inverse: false } });
    expect(restrictMarketTypes({ types: { spot: true, swap: { linear: true, inverse: true } } }, 'spot')).toEqual({ types: { spot: true, swap: { linear: false, inverse: false } } });
    expect(restrictMarketTypes(undefined, 'spot')).toBeUndefined();
  });
});

describe('ccxt settings and environments', () => {
  it('rate limiting on by default; ccxt’s own retries off; binance market types restricted', async () => {
    const { exchange, environment } = await createCcxtClient({ exchangeId: 'binance', marketType: 'spot', sandbox: false });
    expect(environment).toBe('production');
    expect(exchange.enableRateLimit).toBe(true);
    const options = exchange.options as Record<string, unknown>;
    expect(options.maxRetriesOnFailure).toBe(0);
    expect(options.fetchMarkets).toMatchObject({ types: ['spot'] });
    expect(options.fetchMargins).toBe(false);
    expect(options.fetchCurrencies).toBe(false);
  });

  it('sandbox: binance spot → testnet; binance swap → demo trading (futures testnet is gone)', async () => {
    const spot = await createCcxtClient({ exchangeId: 'binance', marketType: 'spot', sandbox: true });
    expect(spot.environment).toBe('sandbox');
    expect((spot.exchange.urls.api as Record<string, string>).public).toContain('testnet.binance.vision');
    const swap = await createCcxtClient({ exchangeId: 'binance', marketType: 'swap', sandbox: true });
    expect(swap.environment).toBe('demo');
    expect((swap.exchange.urls.api as Record<string, string>).fapiPrivate).toContain('demo-fapi.binance.com');
  });

  it('sandbox plus EXCHANGE_URL: the sandbox URLs are the ones rewritten', async () => {
    const c = await createCcxtClient({ exchangeId: 'binance', marketType: 'swap', sandbox: true, baseUrl: 'http://127.0.0.1:1' });
    expect((c.exchange.urls.api as Record<string, string>).fapiPrivate).toBe('http://127.0.0.1:1/fapi/v1');
  });

  it('an exchange without sandbox or demo refuses sandbox mode', async () => {
    const err = await appError(createCcxtClient({ exchangeId: 'paymium', marketType: 'spot', sandbox: true }));
    expect(err.message).toContain('no sandbox');
  });

  it('maxLeverage below 1 is refused', async () => {
    await appError(createCcxtExchange({ ...base, maxLeverage: 0, exchangeId: 'binance', marketType: 'swap', logger: captureLogger().logger }));
  });

  it('importing the adapter does not load ccxt; creating it does', () => {
    const adapter = fileURLToPath(new URL('../../../src/adapters/exchange/ccxt-exchange.ts', import.meta.url));
    const script = `
      import { registerHooks } from 'node:module';
      let loaded = false;
      registerHooks({ resolve(spec, ctx, next) { if (spec === 'ccxt') loaded = true; return next(spec, ctx); } });
      const m = await import(${JSON.stringify(adapter)});
      const before = loaded;
      try { await m.createCcxtExchange({ exchangeId: 'nope', marketType: 'spot', sandbox: false, maxLeverage: 1, logger: null }); } catch {}
      console.log(JSON.stringify({ before, after: loaded }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ before: false, after: true });
  });
});
