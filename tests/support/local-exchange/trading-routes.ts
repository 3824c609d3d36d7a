/** Signed account and order endpoints: spot (/api/v3) and USDⓈ-M (/fapi/v1, v2, v3). */
import { apiErrors } from './api-error.ts';
import type { Route, RouteContext } from './market-routes.ts';
import {
  futuresAccountJson,
  futuresBalanceJson,
  futuresOrderJson,
  futuresTradeJson,
  positionRiskJson,
  spotAccountJson,
  spotCancelJson,
  spotNewOrderJson,
  spotOrderJson,
  spotTradeJson,
  type SpotRespType,
} from './payloads.ts';

const signed = (handle: Route['handle']): Route => ({ signed: true, handle });

/** Binance's time-window + limit rules for trade and order history. */
function window<T extends { time: number }>(rows: T[], params: Record<string, string>, defaultLimit: number, maxLimit: number): T[] {
  const start = params.startTime === undefined ? -Infinity : Number(params.startTime);
  const end = params.endTime === undefined ? Infinity : Number(params.endTime);
  const limit = Math.min(Number(params.limit ?? defaultLimit), maxLimit);
  const inRange = rows.filter((r) => r.time >= start && r.time <= end);
  return params.startTime === undefined ? inRange.slice(-limit) : inRange.slice(0, limit);
}

/** Spot routes, keyed by path below /api/v3. */
export function spotTradingRoutes(): Record<string, Route> {
  return {
    'GET account': signed(({ state }) => spotAccountJson(state.spot, state.now())),
    'POST order': signed(({ state, params }: RouteContext) => {
      const order = state.spot.newOrder(params);
      const respType = (params.newOrderRespType ?? (order.type === 'LIMIT' || order.type === 'MARKET' ? 'FULL' : 'ACK')) as SpotRespType;
      return spotNewOrderJson(order, respType);
    }),
    'GET order': signed(({ state, params }) => {
      const o = state.spot.find(params.symbol, params.orderId, params.origClientOrderId);
      if (!o) throw apiErrors.orderDoesNotExist();
      return spotOrderJson(o);
    }),
    'DELETE order': signed(({ state, params }) => {
      const o = state.spot.cancel(params.symbol, params.orderId, params.origClientOrderId);
      return spotCancelJson(o, params.newClientOrderId ?? `cancel-${o.orderId}`, state.now());
    }),
    'GET openOrders': signed(({ state, params }) => state.spot.open(params.symbol).map(spotOrderJson)),
    'GET allOrders': signed(({ state, params }) => {
      const m = state.spot.market(params.symbol);
      const orders = state.spot.orders.filter((o) => o.symbol === m.id);
      return window(orders, params, 500, 1000).map(spotOrderJson);
    }),
    'GET myTrades': signed(({ state, params }) => {
      const m = state.spot.market(params.symbol);
      let trades = state.spot.trades.filter((t) => t.symbol === m.id);
      if (params.orderId !== undefined) trades = trades.filter((t) => String(t.orderId) === params.orderId);
      if (params.fromId !== undefined) trades = trades.filter((t) => t.id >= Number(params.fromId));
      return window(trades, params, 500, 1000).map(spotTradeJson);
    }),
  };
}

/** USDⓈ-M routes, keyed by `v1 …`, `v2 …`, `v3 …` + path below /fapi/vN. */
export function futuresTradingRoutes(): Record<string, Route> {
  const orderJson = (ctx: RouteContext, o: Parameters<typeof futuresOrderJson>[0]) => futuresOrderJson(o, ctx.state.futures.market(o.symbol));
  const account = (version: 2 | 3) => signed(({ state }) => futuresAccountJson(state.futures, version));
  const positionRisk = (version: 2 | 3) =>
    signed(({ state, params }) => {
      const book = state.futures;
      const ids = params.symbol !== undefined ? [book.market(params.symbol).id] : [...state.linearMarkets.keys()];
      return ids
        .map((id) => [id, book.position(id)] as const)
        .filter(([, p]) => version === 2 || p.amt !== 0)
        .map(([id, p]) => positionRiskJson(book, id, p, book.markPrice(id), version));
    });
  return {
    'GET v2/account': account(2),
    'GET v3/account': account(3),
    'GET v2/balance': signed(({ state }) => futuresBalanceJson(state.futures)),
    'GET v3/balance': signed(({ state }) => futuresBalanceJson(state.futures)),
    'GET v2/positionRisk': positionRisk(2),
    'GET v3/positionRisk': positionRisk(3),
    'POST v1/order': signed((ctx) => orderJson(ctx, ctx.state.futures.newOrder(ctx.params))),
    'GET v1/order': signed((ctx) => {
      const o = ctx.state.futures.find(ctx.params.symbol, ctx.params.orderId, ctx.params.origClientOrderId);
      if (!o) throw apiErrors.orderDoesNotExist();
      return orderJson(ctx, o);
    }),
    'GET v1/openOrder': signed((ctx) => {
      const o = ctx.state.futures.find(ctx.params.symbol, ctx.params.orderId, ctx.params.origClientOrderId);
      if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) throw apiErrors.orderDoesNotExist();
      return orderJson(ctx, o);
    }),
    'DELETE v1/order': signed((ctx) => orderJson(ctx, ctx.state.futures.cancel(ctx.params.symbol, ctx.params.orderId, ctx.params.origClientOrderId))),
    'GET v1/openOrders': signed((ctx) => ctx.state.futures.open(ctx.params.symbol).map((o) => orderJson(ctx, o))),
    'GET v1/allOrders': signed((ctx) => {
      const m = ctx.state.futures.market(ctx.params.symbol);
      return window(ctx.state.futures.orders.filter((o) => o.symbol === m.id), ctx.params, 500, 1000).map((o) => orderJson(ctx, o));
    }),
    'GET v1/userTrades': signed(({ state, params }) => {
      const m = state.futures.market(params.symbol);
      let trades = state.futures.trades.filter((t) => t.symbol === m.id);
      if (params.orderId !== undefined) trades = trades.filter((t) => String(t.orderId) === params.orderId);
      return window(trades, params, 500, 1000).map((t) => futuresTradeJson(t, m));
    }),
    'POST v1/leverage': signed(({ state, params }) => {
      const lev = state.futures.setLeverage(params.symbol, params.leverage);
      return { leverage: lev, maxNotionalValue: '1000000', symbol: params.symbol };
    }),
    'GET v1/leverageBracket': signed(({ state, params }) => {
      const ids = params.symbol !== undefined ? [state.futures.market(params.symbol).id] : [...state.linearMarkets.keys()];
      return ids.map((symbol) => ({
        symbol,
        brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }],
      }));
    }),
    'GET v1/positionSide/dual': signed(() => ({ dualSidePosition: false })),
    'POST v1/marginType': signed(() => ({ code: 200, msg: 'success' })),
  };
}
