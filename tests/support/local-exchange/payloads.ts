/**
 * JSON answers shaped like Binance's (see tests/fixtures/exchange/binance_docs_examples and the
 * recorded ccxt responses): numbers as fixed-decimal strings, times as integers.
 */
import type { FuturesBook, FuturesOrder, FuturesTrade, Position } from './futures-book.ts';
import { decimalsOfStep, fmt, type LocalMarketSpec } from './markets.ts';
import type { SpotBook, SpotOrder, SpotTrade } from './spot-book.ts';

export type SpotRespType = 'ACK' | 'RESULT' | 'FULL';

/** POST /api/v3/order answer. */
export function spotNewOrderJson(o: SpotOrder, respType: SpotRespType): Record<string, unknown> {
  const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.time };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    origQuoteOrderQty: '0.00000000',
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    workingTime: o.time,
    selfTradePreventionMode: 'NONE',
  };
  if (respType === 'RESULT') return result;
  return {
    ...result,
    fills: o.fills.map((t) => ({ price: fmt(t.price), qty: fmt(t.qty), commission: fmt(t.commission), commissionAsset: t.commissionAsset, tradeId: t.id })),
  };
}

/** GET /api/v3/order, openOrders, allOrders entry. */
export function spotOrderJson(o: SpotOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'NONE',
  };
}

/** DELETE /api/v3/order answer: `clientOrderId` is the cancel request's own id, `origClientOrderId` the order's. */
export function spotCancelJson(o: SpotOrder, cancelClientOrderId: string, transactTime: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    origQuoteOrderQty: '0.00000000',
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    selfTradePreventionMode: 'NONE',
  };
}

/** GET /api/v3/myTrades entry. */
export function spotTradeJson(t: SpotTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.side === 'BUY',
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/account */
export function spotAccountJson(book: SpotBook, now: number): Record<string, unknown> {
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: now,
    accountType: 'SPOT',
    balances: [...book.balances.entries()].map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) })),
    permissions: ['SPOT'],
    uid: 354937868,
  };
}

/** POST/GET/DELETE /fapi/v1/order answer (newOrderRespType RESULT). */
export function futuresOrderJson(o: FuturesOrder, m: LocalMarketSpec): Record<string, unknown> {
  const pd = decimalsOfStep(m.tickSize);
  const qd = decimalsOfStep(m.stepSize);
  const avg = o.executedQty > 0 ? o.cumQuote / o.executedQty : 0;
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price, pd),
    avgPrice: fmt(avg, pd + 3),
    origQty: fmt(o.origQty, qd),
    executedQty: fmt(o.executedQty, qd),
    cumQty: fmt(o.executedQty, qd),
    cumQuote: fmt(o.cumQuote, 5),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: 'BOTH',
    stopPrice: fmt(0, pd),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'NONE',
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}

/** GET /fapi/v1/userTrades entry. */
export function futuresTradeJson(t: FuturesTrade, m: LocalMarketSpec): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    side: t.side,
    price: fmt(t.price, decimalsOfStep(m.tickSize)),
    qty: fmt(t.qty, decimalsOfStep(m.stepSize)),
    realizedPnl: fmt(t.realizedPnl),
    marginAsset: 'USDT',
    quoteQty: fmt(t.quoteQty, 5),
    commission: fmt(t.commission),
    commissionAsset: 'USDT',
    time: t.time,
    positionSide: 'BOTH',
    maker: t.maker,
    buyer: t.side === 'BUY',
  };
}

function usdtAsset(book: FuturesBook): Record<string, unknown> {
  const t = book.totals();
  return {
    asset: 'USDT',
    walletBalance: fmt(book.wallet),
    unrealizedProfit: fmt(t.unrealized),
    marginBalance: fmt(t.marginBalance),
    maintMargin: fmt(t.positionMargin * 0.1),
    initialMargin: fmt(t.positionMargin + t.orderMargin),
    positionInitialMargin: fmt(t.positionMargin),
    openOrderInitialMargin: fmt(t.orderMargin),
    crossWalletBalance: fmt(book.wallet),
    crossUnPnl: fmt(t.unrealized),
    availableBalance: fmt(t.available),
    maxWithdrawAmount: fmt(Math.max(0, t.available)),
    marginAvailable: true,
    updateTime: book.walletUpdateTime,
  };
}

/** GET /fapi/v2/account and /fapi/v3/account. */
export function futuresAccountJson(book: FuturesBook, version: 2 | 3): Record<string, unknown> {
  const t = book.totals();
  const positions = [...book.positions.entries()]
    .filter(([, p]) => version === 2 || p.amt !== 0)
    .map(([symbol, p]) => ({
      symbol,
      positionSide: 'BOTH',
      positionAmt: String(p.amt),
      unrealizedProfit: fmt(book.unrealized(symbol)),
      isolatedMargin: '0',
      notional: fmt(p.amt * book.markPrice(symbol)),
      isolatedWallet: '0',
      initialMargin: fmt(book.positionMargin(symbol)),
      maintMargin: fmt(book.positionMargin(symbol) * 0.1),
      updateTime: p.updateTime,
      ...(version === 2 ? { leverage: String(book.leverageOf(symbol)), isolated: false, entryPrice: String(p.entryPrice), maxNotional: '250000', bidNotional: '0', askNotional: '0', positionInitialMargin: fmt(book.positionMargin(symbol)), openOrderInitialMargin: '0' } : {}),
    }));
  return {
    feeTier: 0,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    multiAssetsMargin: false,
    tradeGroupId: -1,
    totalInitialMargin: fmt(t.positionMargin + t.orderMargin),
    totalMaintMargin: fmt(t.positionMargin * 0.1),
    totalWalletBalance: fmt(book.wallet),
    totalUnrealizedProfit: fmt(t.unrealized),
    totalMarginBalance: fmt(t.marginBalance),
    totalPositionInitialMargin: fmt(t.positionMargin),
    totalOpenOrderInitialMargin: fmt(t.orderMargin),
    totalCrossWalletBalance: fmt(book.wallet),
    totalCrossUnPnl: fmt(t.unrealized),
    availableBalance: fmt(t.available),
    maxWithdrawAmount: fmt(Math.max(0, t.available)),
    assets: [usdtAsset(book)],
    positions,
  };
}

/** GET /fapi/v2/balance and /fapi/v3/balance. */
export function futuresBalanceJson(book: FuturesBook): Record<string, unknown>[] {
  const t = book.totals();
  return [
    {
      accountAlias: 'SgsR',
      asset: 'USDT',
      balance: fmt(book.wallet),
      crossWalletBalance: fmt(book.wallet),
      crossUnPnl: fmt(t.unrealized),
      availableBalance: fmt(t.available),
      maxWithdrawAmount: fmt(Math.max(0, t.available)),
      marginAvailable: true,
      updateTime: book.walletUpdateTime,
    },
  ];
}

/** GET /fapi/v2/positionRisk (version 2) and /fapi/v3/positionRisk (version 3). */
export function positionRiskJson(book: FuturesBook, symbol: string, p: Position, markPrice: number, version: 2 | 3): Record<string, unknown> {
  const notional = p.amt * markPrice;
  const common = {
    symbol,
    positionSide: 'BOTH',
    positionAmt: String(p.amt),
    entryPrice: String(p.entryPrice),
    breakEvenPrice: String(p.entryPrice),
    markPrice: String(markPrice),
    unRealizedProfit: fmt(book.unrealized(symbol)),
    liquidationPrice: '0',
    isolatedMargin: '0.00000000',
    notional: String(notional),
    isolatedWallet: '0',
    updateTime: p.updateTime,
  };
  if (version === 2) {
    return { ...common, leverage: String(book.leverageOf(symbol)), maxNotionalValue: '250000', marginType: 'cross', isAutoAddMargin: 'false' };
  }
  return {
    ...common,
    marginAsset: 'USDT',
    initialMargin: fmt(book.positionMargin(symbol)),
    maintMargin: fmt(book.positionMargin(symbol) * 0.1),
    positionInitialMargin: fmt(book.positionMargin(symbol)),
    openOrderInitialMargin: '0',
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
  };
}
