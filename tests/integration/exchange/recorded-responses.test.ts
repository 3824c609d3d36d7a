/**
 * Every recorded Binance answer of ccxt's static test set (tests/fixtures/exchange/
 * binance_response_subset.json) is served from a loopback server to the ccxt instance the adapter
 * builds (EXCHANGE_URL pointed at the server) and must parse to its recorded `parsedResponse`.
 * Markets come from the local exchange's exchangeInfo builders, as the recordings need spot, linear
 * and inverse markets.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../../src/adapters/exchange/ccxt-client.ts';
import { DEFAULT_MARKETS, futuresExchangeInfo, spotExchangeInfo, TEST_API_KEY, TEST_API_SECRET } from '../../support/local-exchange/index.ts';

interface RecordedCase {
  description: string;
  method: string;
  input: unknown[];
  httpResponse: unknown;
  parsedResponse: unknown;
}

interface RecordedFile {
  exchange: string;
  skipKeys: string[];
  options: Record<string, unknown>;
  methods: Record<string, RecordedCase[]>;
}

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/exchange/binance_response_subset.json', import.meta.url), 'utf8')) as RecordedFile;
const cases = Object.values(recorded.methods).flat();

/** ccxt writes `undefined` where the recordings (JSON) have null. */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v)));
}

function dropKeys(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => dropKeys(v, keys));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, dropKeys(v, keys)]));
  }
  return value;
}

describe('recorded Binance responses parse through the adapter’s ccxt instance', () => {
  let server: Server;
  let baseUrl: string;
  let nextBody: unknown;
  const seenPaths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const now = Date.now();
      let body: unknown;
      if (path === '/api/v3/exchangeInfo') body = spotExchangeInfo(DEFAULT_MARKETS, now);
      else if (path === '/fapi/v1/exchangeInfo') body = futuresExchangeInfo(DEFAULT_MARKETS, 'linear', now);
      else if (path === '/dapi/v1/exchangeInfo') body = futuresExchangeInfo(DEFAULT_MARKETS, 'inverse', now);
      else {
        seenPaths.push(`${req.method} ${path}`);
        body = nextBody;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('has all 18 recorded cases', () => {
    expect(cases).toHaveLength(18);
  });

  it.each(cases.map((c) => [`${c.method}: ${c.description}`, c] as const))('%s', async (_name, c) => {
    const { exchange } = await createCcxtClient({
      exchangeId: recorded.exchange,
      apiKey: TEST_API_KEY,
      secret: TEST_API_SECRET,
      marketType: 'spot',
      sandbox: false,
      baseUrl,
      enableRateLimit: false,
    });
    const options = exchange.options as Record<string, unknown>;
    // The recordings span spot, linear and inverse markets; the adapter itself loads one type.
    options.fetchMarkets = { types: ['spot', 'linear', 'inverse'] };
    Object.assign(options, recorded.options);
    await exchange.loadMarkets();

    nextBody = c.httpResponse;
    seenPaths.length = 0;
    const args = c.input.map((v) => (v === null ? undefined : v));
    const method = (exchange as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[c.method]!;
    const result = await method.apply(exchange, args);

    expect(seenPaths.length, 'the call reached the loopback server').toBeGreaterThan(0);
    expect(dropKeys(normalise(result), recorded.skipKeys)).toEqual(dropKeys(normalise(c.parsedResponse), recorded.skipKeys));
  });
});
