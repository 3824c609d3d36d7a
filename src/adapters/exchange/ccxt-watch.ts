/**
 * Websocket candles through ccxt.pro `watchOHLCV`, for the live feed (src/market-data/live-feed.ts).
 * Kept apart from the REST adapter (ccxt-exchange.ts): websockets are a different ccxt class
 * (`ccxt.pro[id]`) with its own connections, and only the live feed wants them. ccxt stays inside:
 * rows become CandleRows and errors become ExecutionErrors with scrubbed messages.
 */
import type { Exchange } from 'ccxt';
import type { CandleRow } from '../../domain/candles.ts';
import { ExecutionError } from '../../ports/execution.ts';
import type { CandleWatcher } from '../../market-data/candle-watcher.ts';
import { loadCcxt, restrictMarketTypes, rewriteApiUrls, type MarketType } from './ccxt-client.ts';
import { scrubSecrets } from './scrub.ts';

export interface CcxtWatchOptions {
  exchangeId: string;
  marketType: MarketType;
  sandbox: boolean;
  /** EXCHANGE_URL: the REST calls the websocket client makes (loading markets) go there. */
  baseUrl?: string;
  /**
   * Replaces scheme+host of every websocket URL (a local stand-in, a ws gateway). With `baseUrl` but
   * no `wsBaseUrl` there is no websocket: EXCHANGE_URL rewrites REST only, and a test or proxied
   * setup must not open sockets to the real venue.
   */
  wsBaseUrl?: string;
  timeoutMs?: number;
}

/** Rewrite scheme+host of every ws:// or wss:// string under `urls.api` (nested objects included). */
export function rewriteWsUrls(api: unknown, wsBaseUrl: string): unknown {
  const base = wsBaseUrl.replace(/\/+$/, '');
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return /^wss?:\/\//i.test(value) ? value.replace(/^wss?:\/\/[^/]+/i, base) : value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(api);
}

/** A CandleWatcher over a ccxt.pro instance, or undefined when the venue has no `watchOHLCV`. */
export function candleWatcherFor(exchange: Exchange): CandleWatcher | undefined {
  const has = (exchange.has as Record<string, unknown>).watchOHLCV;
  if (has !== true && has !== 'emulated') return undefined;
  return {
    async watchCandles(symbol: string, timeframe: string): Promise<readonly CandleRow[]> {
      let rows: readonly (readonly (number | undefined)[])[];
      try {
        rows = (await exchange.watchOHLCV(symbol, timeframe)) as unknown as readonly (readonly (number | undefined)[])[];
      } catch (err) {
        // Dropped sockets, timeouts, venue errors: all the feed can do is back off and reconnect.
        throw new ExecutionError('retryable', `${exchange.id} watchOHLCV ${symbol} ${timeframe}: ${scrubSecrets(err instanceof Error ? err.message : String(err))}`);
      }
      const out: CandleRow[] = [];
      for (const r of rows) {
        const [ts, open, high, low, close, volume] = r;
        if (typeof ts !== 'number' || typeof open !== 'number' || typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') continue;
        out.push({ ts, open, high, low, close, volume: typeof volume === 'number' ? volume : 0 });
      }
      return out.sort((a, b) => a.ts - b.ts);
    },
    async close() {
      await exchange.close();
    },
  };
}

/**
 * Build a ccxt.pro client configured like the REST one (market type, sandbox, URL rewrites) and wrap
 * it. Undefined when ccxt has no websocket class or no `watchOHLCV` for the venue, or when only REST
 * is redirected (see `wsBaseUrl`): the live feed then polls over REST.
 */
export async function createCcxtCandleWatcher(o: CcxtWatchOptions): Promise<CandleWatcher | undefined> {
  if (o.baseUrl && !o.wsBaseUrl) return undefined;
  const mod = await loadCcxt();
  const pro = (mod as unknown as { pro?: Record<string, unknown> }).pro;
  const Ctor = pro?.[o.exchangeId];
  if (typeof Ctor !== 'function') return undefined;
  const ex = new (Ctor as new (config: Record<string, unknown>) => Exchange)({ enableRateLimit: true, timeout: o.timeoutMs ?? 10_000 });
  const options = ex.options as Record<string, unknown>;
  options.defaultType = o.marketType;
  if (o.marketType === 'swap') options.defaultSubType = 'linear';
  options.fetchMarkets = restrictMarketTypes(options.fetchMarkets, o.marketType);
  options.fetchMargins = false;
  options.fetchCurrencies = false;
  // The live feed owns reconnect backoff (jitter, failure count, alert); ccxt's own would stack on it.
  options.ws = { ...(options.ws as Record<string, unknown> | undefined), backoff: { base: 0 } };
  const urls = ex.urls as Record<string, unknown>;
  if (o.sandbox) {
    if (urls.test) ex.setSandboxMode(true);
    else if (urls.demo) ex.enableDemoTrading(true);
    else return undefined;
  }
  if (o.baseUrl) urls.api = rewriteApiUrls(urls.api, o.baseUrl);
  if (o.wsBaseUrl) {
    urls.api = rewriteWsUrls(urls.api, o.wsBaseUrl);
    // ccxt refuses plain ws:// until its http agent is loaded.
    if (o.wsBaseUrl.startsWith('ws://')) await ex.loadHttpProxyAgent();
  }
  const watcher = candleWatcherFor(ex);
  if (!watcher) await ex.close();
  return watcher;
}
