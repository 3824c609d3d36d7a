/**
 * Builds the configured ccxt instance: dynamic import (ccxt costs ~0.5 s and ~120 MB, so only paths
 * that trade load it), exchange id check, market-type restriction, sandbox/demo switch, base-URL
 * rewrite for a proxy or test exchange, and a hook that records HTTP status and Retry-After of failed
 * calls for the error mapper. Nothing here is exported beyond the adapter folder and its tests.
 */
import type { Exchange } from 'ccxt';
import { AppError } from '../../domain/errors.ts';
import { errorClassesOf, parseRetryAfter, tagHttpFailure, type CcxtErrorClasses } from './error-mapping.ts';

export type CcxtModule = typeof import('ccxt');
export type MarketType = 'spot' | 'swap';

let modulePromise: Promise<CcxtModule> | undefined;

/** Import ccxt once per process, on first use. */
export function loadCcxt(): Promise<CcxtModule> {
  modulePromise ??= import('ccxt');
  return modulePromise;
}

export interface CcxtClientOptions {
  exchangeId: string;
  apiKey?: string;
  secret?: string;
  password?: string;
  marketType: MarketType;
  sandbox: boolean;
  /** EXCHANGE_URL: replaces scheme+host of every REST URL (a proxy or the local test exchange). */
  baseUrl?: string;
  /** Per-request timeout (ccxt default 10 s). */
  timeoutMs?: number;
  /** ccxt's request-weight throttling (default on). */
  enableRateLimit?: boolean;
}

export interface CcxtClient {
  exchange: Exchange;
  classes: CcxtErrorClasses;
  /** How the sandbox flag was honoured. */
  environment: 'production' | 'sandbox' | 'demo';
}

/** Exchange ids ccxt knows (the ESM build exposes the list on its default export). */
export function exchangeIdsOf(mod: CcxtModule): string[] {
  const anyMod = mod as unknown as { exchanges?: unknown; default?: { exchanges?: unknown } };
  // The ESM build's named `exchanges` is a map of classes; the id list is on the default export.
  for (const list of [anyMod.default?.exchanges, anyMod.exchanges]) {
    if (Array.isArray(list)) return list as string[];
  }
  return [];
}

function suggestions(id: string, ids: readonly string[]): string[] {
  const lower = id.toLowerCase();
  return ids.filter((x) => x.includes(lower) || lower.includes(x) || x.startsWith(lower.slice(0, 4))).slice(0, 5);
}

/**
 * Narrow ccxt's `options.fetchMarkets` so loadMarkets calls only the endpoints of one market type
 * (binance/bybit use `types: [...]` arrays, htx/mexc `types: { spot: true, … }` maps).
 */
export function restrictMarketTypes(current: unknown, marketType: MarketType): unknown {
  const wantedArray = (types: readonly string[]): string[] => {
    if (marketType === 'spot') return types.filter((t) => t === 'spot');
    const linear = types.filter((t) => t === 'linear');
    return linear.length > 0 ? linear : types.filter((t) => t === 'swap');
  };
  const narrow = (types: unknown): unknown => {
    if (Array.isArray(types)) {
      const kept = wantedArray(types as string[]);
      return kept.length > 0 ? kept : types;
    }
    if (types && typeof types === 'object') {
      const entries = Object.entries(types as Record<string, unknown>);
      const keep = (k: string) => (marketType === 'spot' ? k === 'spot' : k === 'linear' || k === 'swap');
      if (!entries.some(([k]) => keep(k))) return types;
      return Object.fromEntries(
        entries.map(([k, v]) => {
          if (!keep(k)) return [k, v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).map((kk) => [kk, false])) : false];
          if (k === 'swap' && v !== null && typeof v === 'object') return [k, { ...(v as object), linear: true, inverse: false }];
          return [k, true];
        }),
      );
    }
    return types;
  };
  if (Array.isArray(current)) return narrow(current);
  if (current && typeof current === 'object' && 'types' in current) return { ...(current as object), types: narrow((current as { types: unknown }).types) };
  return current;
}

/**
 * Replace scheme+host of every http(s) string in `urls.api` (nested objects included; `ws` entries
 * and websocket URLs untouched). A base URL with a path (`http://proxy/binance`) prefixes the
 * original path. Returns a new structure.
 */
export function rewriteApiUrls(api: unknown, baseUrl: string): unknown {
  const base = baseUrl.replace(/\/+$/, '');
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return /^https?:\/\//i.test(value) ? value.replace(/^https?:\/\/[^/]+/i, base) : value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.toLowerCase().startsWith('ws') ? v : walk(v)]));
    }
    return value;
  };
  return walk(api);
}

function enableSandbox(ex: Exchange, marketType: MarketType): 'sandbox' | 'demo' {
  const urls = ex.urls as Record<string, unknown>;
  // Binance futures testnet is gone (ccxt throws); its demo environment replaces it.
  if (ex.id.startsWith('binance') && marketType === 'swap' && urls.demo) {
    ex.enableDemoTrading(true);
    return 'demo';
  }
  if (urls.test) {
    ex.setSandboxMode(true);
    return 'sandbox';
  }
  if (urls.demo) {
    ex.enableDemoTrading(true);
    return 'demo';
  }
  throw new AppError('BAD_REQUEST', `exchange "${ex.id}" has no sandbox or demo environment in ccxt: set EXCHANGE_SANDBOX=false or choose another exchange`);
}

/**
 * Record status, Retry-After and body of failed HTTP answers on the error ccxt throws for them (see
 * error-mapping.ts): ccxt's messages sometimes drop the venue's error code, and never carry headers.
 * `handleErrors` and then `handleHttpStatusCode` run synchronously one after the other for one
 * response, so the headers seen by the first are the ones of the second.
 */
function hookHttpFailures(ex: Exchange, now: () => number): void {
  type Fn = (...args: unknown[]) => unknown;
  const target = ex as unknown as { handleErrors?: Fn; handleHttpStatusCode?: Fn };
  let lastHeaders: Record<string, unknown> | undefined;
  const tag = (err: unknown, status: unknown, body: unknown, headers: Record<string, unknown> | undefined) => {
    if (typeof status !== 'number' || status < 400) return;
    const key = headers ? Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after') : undefined;
    const retryAfter = key === undefined ? undefined : String(headers![key]);
    tagHttpFailure(err, { status, retryAfterMs: parseRetryAfter(retryAfter, now()), body: typeof body === 'string' ? body.slice(0, 2_000) : undefined });
  };
  if (typeof target.handleErrors === 'function') {
    const original = target.handleErrors.bind(ex);
    // (code, reason, url, method, headers, body, response, requestHeaders, requestBody)
    target.handleErrors = (...args: unknown[]) => {
      lastHeaders = (args[4] ?? undefined) as Record<string, unknown> | undefined;
      try {
        return original(...args);
      } catch (err) {
        tag(err, args[0], args[5], lastHeaders);
        throw err;
      }
    };
  }
  if (typeof target.handleHttpStatusCode === 'function') {
    const original = target.handleHttpStatusCode.bind(ex);
    // (code, reason, url, method, body)
    target.handleHttpStatusCode = (...args: unknown[]) => {
      try {
        return original(...args);
      } catch (err) {
        tag(err, args[0], args[4], lastHeaders);
        throw err;
      }
    };
  }
}

/** Why `id` is not a usable ccxt exchange (naming EXCHANGE, the value and what is accepted), or undefined. */
export function exchangeIdProblem(id: string, mod: CcxtModule): string | undefined {
  const ids = exchangeIdsOf(mod);
  if (ids.includes(id) && typeof (mod as unknown as Record<string, unknown>)[id] === 'function') return undefined;
  const near = suggestions(id, ids);
  return (
    `EXCHANGE: got "${id}" — not a ccxt exchange id${near.length ? `; did you mean ${near.join(', ')}?` : ''}; ` +
    `expected sim or one of ccxt's lowercase exchange ids (${ids.length} known, e.g. binance, bybit, okx, kraken); list them with ` +
    `\`node -e "import('ccxt').then(m => console.log(m.default.exchanges.join(' ')))"\` or see https://docs.ccxt.com/#/Exchange-Markets`
  );
}

/**
 * ccxt spaces every request by its weight (a leaky bucket that refills only while requests wait, so
 * even after an idle minute the next requests leave one cost/rate apart): 20 closes of a kill-all
 * would trickle out over a few hundred ms. Order creation is paced by the adapter's order budget
 * (the venue's order limits, with a burst) instead, so it costs nothing in ccxt's bucket.
 */
export function orderCreationOutsideThrottle(exchange: Exchange): void {
  const ex = exchange as unknown as { calculateRateLimiterCost: (api: unknown, method: string, path: string, params: unknown, config?: unknown) => number };
  const base = ex.calculateRateLimiterCost.bind(exchange);
  ex.calculateRateLimiterCost = (api, method, path, params, config) => (method === 'POST' && /(^|\/)order$/.test(path) ? 0 : base(api, method, path, params, config));
  // A cost of 0 would still queue behind the bucket's debt from earlier reads: it goes at once.
  const t = exchange as unknown as { throttle: (cost?: number) => Promise<unknown> };
  const throttle = t.throttle.bind(exchange);
  t.throttle = (cost?: number) => (cost === 0 ? Promise.resolve() : throttle(cost));
}

/** Create and configure the ccxt instance for one exchange and market type. */
export async function createCcxtClient(o: CcxtClientOptions, now: () => number = Date.now): Promise<CcxtClient> {
  const mod = await loadCcxt();
  const problem = exchangeIdProblem(o.exchangeId, mod);
  if (problem) throw new AppError('BAD_REQUEST', problem, { exchangeId: o.exchangeId });
  const Ctor = (mod as unknown as Record<string, unknown>)[o.exchangeId];
  const exchange = new (Ctor as new (config: Record<string, unknown>) => Exchange)({
    apiKey: o.apiKey,
    secret: o.secret,
    password: o.password,
    enableRateLimit: o.enableRateLimit ?? true,
    timeout: o.timeoutMs ?? 10_000,
    verbose: false,
  });
  const options = exchange.options as Record<string, unknown>;
  options.defaultType = o.marketType;
  if (o.marketType === 'swap') options.defaultSubType = 'linear';
  options.fetchMarkets = restrictMarketTypes(options.fetchMarkets, o.marketType);
  // Margin pairs and currencies need extra (often signed) endpoints the bot never uses.
  options.fetchMargins = false;
  options.fetchCurrencies = false;
  options.warnOnFetchOpenOrdersWithoutSymbol = false;
  // ccxt would resend createOrder on a network error: never (see LIBRARY-NOTES).
  options.maxRetriesOnFailure = 0;

  const environment = o.sandbox ? enableSandbox(exchange, o.marketType) : 'production';
  if (o.baseUrl) {
    const urls = exchange.urls as Record<string, unknown>;
    urls.api = rewriteApiUrls(urls.api, o.baseUrl);
  }
  orderCreationOutsideThrottle(exchange);
  hookHttpFailures(exchange, now);
  return { exchange, classes: errorClassesOf(mod as unknown as Record<string, unknown>), environment };
}
