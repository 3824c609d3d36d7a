/** Public market-data endpoints shared by spot (/api/v3) and USDⓈ-M (/fapi/v1) with their small differences. */
import { apiErrors } from './api-error.ts';
import { intervalMs } from './candles.ts';
import { decimalsOfStep, fmt, type LocalMarketSpec } from './markets.ts';
import type { ExchangeState } from './state.ts';

export interface RouteContext {
  params: Record<string, string>;
  state: ExchangeState;
}

export interface Route {
  signed: boolean;
  handle(ctx: RouteContext): unknown;
}

export type Venue = 'spot' | 'linear';

function marketsOf(state: ExchangeState, venue: Venue): ReadonlyMap<string, LocalMarketSpec> {
  return venue === 'spot' ? state.spotMarkets : state.linearMarkets;
}

function marketOf(state: ExchangeState, venue: Venue, symbol: string | undefined): LocalMarketSpec {
  if (!symbol) throw apiErrors.mandatory('symbol');
  const m = marketsOf(state, venue).get(symbol);
  if (!m) throw apiErrors.invalidSymbol();
  return m;
}

function priceDecimals(venue: Venue, m: LocalMarketSpec): number {
  return venue === 'spot' ? 8 : decimalsOfStep(m.tickSize);
}

/** GET klines: Binance rows `[open time, o, h, l, c, v, close time, quote volume, trades, taker base, taker quote, "0"]`. */
export function klines(ctx: RouteContext, venue: Venue): unknown[] {
  const { params, state } = ctx;
  const m = marketOf(state, venue, params.symbol);
  if (!params.interval) throw apiErrors.mandatory('interval');
  const ms = intervalMs(params.interval);
  if (ms === undefined) throw apiErrors.invalidInterval();
  const maxLimit = venue === 'spot' ? 1000 : 1500;
  const limit = params.limit === undefined ? 500 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw apiErrors.invalidLimit();
  }
  const rows = state.candles.query({
    symbolId: m.id,
    interval: params.interval,
    startTime: params.startTime === undefined ? undefined : Number(params.startTime),
    endTime: params.endTime === undefined ? undefined : Number(params.endTime),
    limit,
    now: state.now(),
    basePrice: state.basePrice(m.id),
    livePrice: state.priceOf(m.id),
  });
  const pd = priceDecimals(venue, m);
  const vd = venue === 'spot' ? 8 : decimalsOfStep(m.stepSize);
  return rows.map((c) => [
    c.ts,
    fmt(c.open, pd),
    fmt(c.high, pd),
    fmt(c.low, pd),
    fmt(c.close, pd),
    fmt(c.volume, vd),
    c.ts + ms - 1,
    fmt(c.volume * c.close, 8),
    100,
    fmt(c.volume / 2, vd),
    fmt((c.volume / 2) * c.close, 8),
    '0',
  ]);
}

function ticker24hr(state: ExchangeState, venue: Venue, m: LocalMarketSpec): Record<string, unknown> {
  const pd = priceDecimals(venue, m);
  const last = state.priceOf(m.id);
  const open = state.basePrice(m.id);
  const now = state.now();
  return {
    symbol: m.id,
    priceChange: fmt(last - open, pd),
    priceChangePercent: fmt(((last - open) / open) * 100, 3),
    weightedAvgPrice: fmt((last + open) / 2, pd),
    ...(venue === 'spot' ? { prevClosePrice: fmt(open, pd), bidPrice: fmt(last - m.tickSize, pd), bidQty: '1.00000000', askPrice: fmt(last, pd), askQty: '1.00000000' } : {}),
    lastPrice: fmt(last, pd),
    lastQty: fmt(m.minQty, 8),
    openPrice: fmt(open, pd),
    highPrice: fmt(Math.max(open, last), pd),
    lowPrice: fmt(Math.min(open, last), pd),
    volume: '1000.00000000',
    quoteVolume: fmt(1000 * last, 8),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 1000,
    count: 1000,
  };
}

function eachOrOne<T>(state: ExchangeState, venue: Venue, symbol: string | undefined, f: (m: LocalMarketSpec) => T): T | T[] {
  if (symbol !== undefined) return f(marketOf(state, venue, symbol));
  return [...marketsOf(state, venue).values()].map(f);
}

/** Public routes for one venue, keyed by path below the API root (`/api/v3` or `/fapi/v1`). */
export function marketRoutes(venue: Venue): Record<string, Route> {
  const pub = (handle: Route['handle']): Route => ({ signed: false, handle });
  return {
    'GET ping': pub(() => ({})),
    'GET time': pub(({ state }) => ({ serverTime: state.now() })),
    'GET klines': pub((ctx) => klines(ctx, venue)),
    'GET ticker/24hr': pub(({ state, params }) => eachOrOne(state, venue, params.symbol, (m) => ticker24hr(state, venue, m))),
    'GET ticker/price': pub(({ state, params }) =>
      eachOrOne(state, venue, params.symbol, (m) => ({ symbol: m.id, price: fmt(state.priceOf(m.id), priceDecimals(venue, m)), ...(venue === 'linear' ? { time: state.now() } : {}) })),
    ),
    'GET ticker/bookTicker': pub(({ state, params }) =>
      eachOrOne(state, venue, params.symbol, (m) => {
        const pd = priceDecimals(venue, m);
        const p = state.priceOf(m.id);
        return { symbol: m.id, bidPrice: fmt(p - m.tickSize, pd), bidQty: '1.00000000', askPrice: fmt(p, pd), askQty: '1.00000000', ...(venue === 'linear' ? { time: state.now() } : {}) };
      }),
    ),
    'GET depth': pub(({ state, params }) => {
      const m = marketOf(state, venue, params.symbol);
      const pd = priceDecimals(venue, m);
      const p = state.priceOf(m.id);
      const levels = Math.min(Number(params.limit ?? 100), 20);
      const bids = Array.from({ length: levels }, (_, i) => [fmt(p - m.tickSize * (i + 1), pd), fmt(1 + i, 8)]);
      const asks = Array.from({ length: levels }, (_, i) => [fmt(p + m.tickSize * i, pd), fmt(1 + i, 8)]);
      return venue === 'spot' ? { lastUpdateId: 1027024, bids, asks } : { lastUpdateId: 1027024, E: state.now(), T: state.now(), bids, asks };
    }),
    'GET avgPrice': pub(({ state, params }) => {
      const m = marketOf(state, venue, params.symbol);
      return { mins: 5, price: fmt(state.priceOf(m.id), 8), closeTime: state.now() };
    }),
  };
}

/** USDⓈ-M only: premium index (mark price, funding) and open interest. */
export function futuresMarketExtras(): Record<string, Route> {
  const pub = (handle: Route['handle']): Route => ({ signed: false, handle });
  return {
    'GET premiumIndex': pub(({ state, params }) =>
      eachOrOne(state, 'linear', params.symbol, (m) => {
        const pd = decimalsOfStep(m.tickSize);
        const p = state.priceOf(m.id);
        const now = state.now();
        return {
          symbol: m.id,
          markPrice: fmt(p, pd + 2),
          indexPrice: fmt(p, pd + 2),
          estimatedSettlePrice: fmt(p, pd + 2),
          lastFundingRate: '0.00010000',
          interestRate: '0.00010000',
          nextFundingTime: Math.ceil(now / 28_800_000) * 28_800_000,
          time: now,
        };
      }),
    ),
    'GET openInterest': pub(({ state, params }) => {
      const m = marketOf(state, 'linear', params.symbol);
      // A fixed base plus what this account holds, so a test can see its own position move it.
      const own = Math.abs(state.futures.positions.get(m.id)?.amt ?? 0);
      return { openInterest: fmt(10_659.509 + own, decimalsOfStep(m.stepSize)), symbol: m.id, time: state.now() };
    }),
  };
}
