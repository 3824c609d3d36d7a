import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BinanceApiError, apiErrors } from './api-error.ts';
import { FAULTS, FaultQueue, type Fault } from './faults.ts';
import { futuresMarketExtras, marketRoutes, type Route } from './market-routes.ts';
import { futuresExchangeInfo, spotExchangeInfo } from './markets.ts';
import { TEST_API_KEY, TEST_API_SECRET, verifySignedRequest } from './signing.ts';
import { ExchangeState, type LocalExchangeStateOptions } from './state.ts';
import { futuresTradingRoutes, spotTradingRoutes } from './trading-routes.ts';

export interface LocalExchangeOptions extends LocalExchangeStateOptions {
  apiKey?: string;
  secret?: string;
}

/** One call as the server saw it (after fault handling was decided), for assertions such as "no resend". */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  rawUrl: string;
  rawBody: string;
  ts: number;
}

export interface LocalExchange {
  /** Base URL (`http://127.0.0.1:PORT`) to give the client as EXCHANGE_URL. */
  url: string;
  faults: FaultQueue;
  state: ExchangeState;
  requests: RecordedRequest[];
  /** Calls seen for one endpoint, e.g. `count('POST /api/v3/order')`. */
  count(endpoint: string): number;
  /** IP ban: every call until `untilMs` (wall clock) is answered 418 "IP banned until …". */
  ban(untilMs: number): void;
  close(): Promise<void>;
}

const spotRoutes: Record<string, Route> = { ...marketRoutes('spot'), ...spotTradingRoutes() };
const linearPublic: Record<string, Route> = { ...marketRoutes('linear'), ...futuresMarketExtras() };
const linearTrading = futuresTradingRoutes();

/** Map `METHOD /prefix/vN/path` to a route of the spot, USDⓈ-M or COIN-M (listing only) API. */
function resolve(method: string, path: string): Route | undefined {
  if (path === '/api/v3/exchangeInfo' || path === '/fapi/v1/exchangeInfo' || path === '/dapi/v1/exchangeInfo') {
    const kind = path.startsWith('/api') ? 'spot' : path.startsWith('/fapi') ? 'linear' : 'inverse';
    return {
      signed: false,
      handle: ({ state }) => (kind === 'spot' ? spotExchangeInfo(state.markets, state.now()) : futuresExchangeInfo(state.markets, kind, state.now())),
    };
  }
  let m = /^\/api\/v3\/(.+)$/.exec(path);
  if (m) return spotRoutes[`${method} ${m[1]}`];
  m = /^\/fapi\/(v[123])\/(.+)$/.exec(path);
  if (m) return linearTrading[`${method} ${m[1]}/${m[2]}`] ?? linearPublic[`${method} ${m[2]}`];
  if (method === 'POST' && path === '/sapi/v1/capital/withdraw/apply') return { signed: true, handle: ({ state, params }) => state.withdrawals.apply(params) };
  m = /^\/dapi\/v1\/(ping|time)$/.exec(path);
  if (m) return marketRoutes('spot')[`${method} ${m[1]}`];
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const contentType = typeof body === 'string' ? 'text/plain' : 'application/json;charset=UTF-8';
  res.writeHead(status, { 'Content-Type': contentType, ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Start a Binance-compatible exchange on 127.0.0.1 (random port). It keeps real order state, checks
 * HMAC signatures with the test secret, and answers each call with the next queued fault if any.
 */
export async function start(options: LocalExchangeOptions = {}): Promise<LocalExchange> {
  const apiKey = options.apiKey ?? TEST_API_KEY;
  const secret = options.secret ?? TEST_API_SECRET;
  const state = new ExchangeState(options);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  let bannedUntil = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
    for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
    const endpoint = `${method} ${url.pathname}`;
    requests.push({ method, path: url.pathname, params, headers: req.headers, rawUrl: req.url ?? '', rawBody, ts: Date.now() });

    if (Date.now() < bannedUntil) {
      const f = FAULTS.banned(bannedUntil, Math.ceil((bannedUntil - Date.now()) / 1000));
      return send(res, f.status, f.body, f.headers);
    }
    const fault: Fault | undefined = faults.take(endpoint, params);
    if (fault && 'status' in fault) return send(res, fault.status, fault.body, fault.headers);
    if (fault && 'hang' in fault) return; // never answered; closeAllConnections() ends it
    if (fault && 'reset' in fault) {
      req.socket.resetAndDestroy();
      return;
    }
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);

    let status = 200;
    let body: unknown;
    try {
      const route = resolve(method, url.pathname);
      if (!route) throw apiErrors.notFound();
      if (route.signed) {
        const header = req.headers['x-mbx-apikey'];
        verifySignedRequest({ apiKeyHeader: Array.isArray(header) ? header[0] : header, rawQuery, rawBody }, apiKey, secret, Date.now());
      }
      body = route.handle({ params, state });
    } catch (err) {
      if (err instanceof BinanceApiError) {
        status = err.status;
        body = err.body();
      } else {
        status = 500;
        body = { code: -1000, msg: `An unknown error occurred while processing the request. (${(err as Error).message})` };
      }
    }
    if (fault && 'recordThenFail' in fault) {
      if (fault.recordThenFail === 'hang') return;
      return send(res, fault.recordThenFail.status ?? 500, fault.recordThenFail.body ?? { code: -1000, msg: 'An unknown error occurred while processing the request.' });
    }
    send(res, status, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { code: -1000, msg: String(err) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    state,
    requests,
    count: (endpoint) => requests.filter((r) => `${r.method} ${r.path}` === endpoint).length,
    ban: (untilMs) => {
      bannedUntil = untilMs;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
