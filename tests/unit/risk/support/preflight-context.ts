import type { MarketInfo } from '../../../../src/domain/market.ts';
import type { PreflightContext } from '../../../../src/risk/preflight/index.ts';
import { NO_LIMITS, type RiskLimits, type RiskSnapshot } from '../../../../src/risk/risk-view.ts';

/** A spot market with a 0.001 lot, a 5-quote minimum and a 0.1 % taker fee; `over` changes it. */
export const spotMarket = (over: Partial<MarketInfo> = {}): MarketInfo => ({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0, takerFee: 0.001, ...over });

/** A quiet snapshot at `now`: nothing open, no orders, flat equity of 1,000, a price of that instant. */
export const quietSnapshot = (now: number, over: Partial<RiskSnapshot> = {}): RiskSnapshot => ({ now, openPositions: 0, dayStartEquity: 1000, peakEquity: 1000, ordersLastMinute: 0, priceTs: now, seenIntents: new Set(), locks: new Map(), ...over });

/**
 * The pre-flight tests' context maker: a long entry of 1 at 100 on `market`, ACTIVE, 1,000 available
 * and equity, no limits but those given, the snapshot with `snap` applied — then `over`.
 */
export function contextMaker(market: MarketInfo, snapshot: RiskSnapshot) {
  return (over: Partial<PreflightContext> = {}, limits: Partial<RiskLimits> = {}, snap: Partial<RiskSnapshot> = {}): PreflightContext => ({
    kind: 'entry', side: 'long', symbol: market.symbol, quantity: 1, price: 100, position: undefined, market,
    tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 1000, equity: 1000,
    risk: { limits: { ...NO_LIMITS, ...limits }, snapshot: { ...snapshot, ...snap } },
    ...over,
  });
}
