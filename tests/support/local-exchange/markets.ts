/**
 * Markets the local Binance-compatible exchange lists, and the exchangeInfo payloads built from them.
 * Filter values follow Binance's real BTCUSDT/ETHUSDT settings closely enough that ccxt derives the
 * same precision and limits it would in production.
 */

export type MarketKind = 'spot' | 'linear' | 'inverse';

export interface LocalMarketSpec {
  /** Binance id, e.g. BTCUSDT (spot and linear share ids; inverse uses BTCUSD_PERP). */
  id: string;
  kind: MarketKind;
  base: string;
  quote: string;
  tickSize: number;
  stepSize: number;
  minQty: number;
  maxQty: number;
  /** Minimum order value in quote (spot NOTIONAL / futures MIN_NOTIONAL). */
  minNotional: number;
  /** Price the market starts at (shared by every market with the same price key). */
  initialPrice: number;
  /** Inverse contracts only: USD value of one contract. */
  contractSize?: number;
}

export const DEFAULT_MARKETS: readonly LocalMarketSpec[] = [
  { id: 'BTCUSDT', kind: 'spot', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQty: 0.00001, maxQty: 9000, minNotional: 5, initialPrice: 50_000 },
  { id: 'ETHUSDT', kind: 'spot', base: 'ETH', quote: 'USDT', tickSize: 0.01, stepSize: 0.0001, minQty: 0.0001, maxQty: 9000, minNotional: 5, initialPrice: 3_000 },
  { id: 'LTCUSDT', kind: 'spot', base: 'LTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 90_000, minNotional: 5, initialPrice: 90 },
  { id: 'SOLUSDT', kind: 'spot', base: 'SOL', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 90_000, minNotional: 5, initialPrice: 240 },
  { id: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', tickSize: 0.1, stepSize: 0.001, minQty: 0.001, maxQty: 1000, minNotional: 100, initialPrice: 50_000 },
  { id: 'ETHUSDT', kind: 'linear', base: 'ETH', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 10_000, minNotional: 20, initialPrice: 3_000 },
  { id: 'LTCUSDT', kind: 'linear', base: 'LTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 100_000, minNotional: 20, initialPrice: 90 },
  { id: 'BTCUSD_PERP', kind: 'inverse', base: 'BTC', quote: 'USD', tickSize: 0.1, stepSize: 1, minQty: 1, maxQty: 1_000_000, minNotional: 0, initialPrice: 50_000, contractSize: 100 },
];

/** Number of decimals of a step such as 0.001 (→ 3). */
export function decimalsOfStep(step: number): number {
  if (step >= 1) return 0;
  const s = step.toExponential();
  const [mant, exp] = s.split('e');
  return Math.max(0, (mant!.split('.')[1] ?? '').length - Number(exp));
}

/** Format with a fixed number of decimals, as Binance sends numbers (strings). */
export function fmt(value: number, decimals = 8): string {
  return (Math.round(value * 10 ** decimals) / 10 ** decimals).toFixed(decimals);
}

/** Binance checks `(value - min) % step == 0`; a tolerance absorbs float representation error. */
export function isMultipleOf(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

const SPOT_ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];
const FUTURES_ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];

function spotSymbol(m: LocalMarketSpec): Record<string, unknown> {
  return {
    symbol: m.id,
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: SPOT_ORDER_TYPES,
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    opoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fmt(m.tickSize), maxPrice: '1000000.00000000', tickSize: fmt(m.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fmt(m.minQty), maxQty: fmt(m.maxQty), stepSize: fmt(m.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: fmt(m.maxQty), stepSize: '0.00000000' },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional: fmt(m.minNotional), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function futuresSymbol(m: LocalMarketSpec): Record<string, unknown> {
  const inverse = m.kind === 'inverse';
  const pricePrecision = decimalsOfStep(m.tickSize);
  const quantityPrecision = decimalsOfStep(m.stepSize);
  const filters: Record<string, unknown>[] = [
    { filterType: 'PRICE_FILTER', minPrice: fmt(m.tickSize, pricePrecision), maxPrice: '4529764', tickSize: fmt(m.tickSize, pricePrecision) },
    { filterType: 'LOT_SIZE', minQty: fmt(m.minQty, quantityPrecision), maxQty: fmt(m.maxQty, quantityPrecision), stepSize: fmt(m.stepSize, quantityPrecision) },
    { filterType: 'MARKET_LOT_SIZE', minQty: fmt(m.minQty, quantityPrecision), maxQty: fmt(m.maxQty, quantityPrecision), stepSize: fmt(m.stepSize, quantityPrecision) },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
  ];
  if (!inverse) filters.push({ filterType: 'MIN_NOTIONAL', notional: String(m.minNotional) });
  return {
    symbol: m.id,
    pair: inverse ? m.id.replace(/_PERP$/, '') : m.id,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: inverse ? undefined : 'TRADING',
    contractStatus: inverse ? 'TRADING' : undefined,
    contractSize: inverse ? m.contractSize : undefined,
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: m.base,
    quoteAsset: m.quote,
    marginAsset: inverse ? m.base : m.quote,
    pricePrecision,
    quantityPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters,
    orderTypes: FUTURES_ORDER_TYPES,
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

/** GET /api/v3/exchangeInfo */
export function spotExchangeInfo(markets: readonly LocalMarketSpec[], serverTime: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
    ],
    exchangeFilters: [],
    symbols: markets.filter((m) => m.kind === 'spot').map(spotSymbol),
  };
}

/** GET /fapi/v1/exchangeInfo (linear) or /dapi/v1/exchangeInfo (inverse). */
export function futuresExchangeInfo(markets: readonly LocalMarketSpec[], kind: 'linear' | 'inverse', serverTime: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: kind === 'linear' ? 'U_MARGINED' : 'COIN_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: markets.filter((m) => m.kind === kind).map(futuresSymbol),
  };
}
