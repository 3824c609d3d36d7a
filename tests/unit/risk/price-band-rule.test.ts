import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { PreflightContext } from '../../../src/risk/preflight/index.ts';
import { priceBandRule } from '../../../src/risk/preflight/price-band-rule.ts';
import { NO_LIMITS } from '../../../src/risk/risk-view.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0, takerFee: 0.001 };
const risk = { limits: { ...NO_LIMITS, priceBandPct: 5 }, snapshot: { now: 0, openPositions: 0, dayStartEquity: 1000, peakEquity: 1000, ordersLastMinute: 0, seenIntents: new Set<string>(), locks: new Map() } };
const ctx = (over: Partial<PreflightContext>): PreflightContext => ({
  kind: 'entry', side: 'long', symbol: 'BTC/USDT', quantity: 1, price: 100, position: undefined, market,
  tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 1000, equity: 1000,
  orderType: 'limit', risk, ...over,
});

describe('price band (fat finger) rule', () => {
  it('tells the person how far the limit is from the last price and what the band is', () => {
    expect(priceBandRule(ctx({ limitPrice: 112.5 }))).toEqual({ code: 'PRICE_BAND', message: 'limit 112.5 is 12.50% from the last price 100; PRICE_BAND_PCT is 5' });
  });

  it('a limit order needs a positive, finite limit price', () => {
    const refusal = { code: 'BAD_LIMIT_PRICE', message: 'a limit order needs a positive limit price' };
    for (const limitPrice of [undefined, 0, -100, Number.NaN, Infinity]) expect(priceBandRule(ctx({ limitPrice })), String(limitPrice)).toEqual(refusal);
  });

  it('judges only limit entries, and only against configured limits', () => {
    const far = { limitPrice: 500 };
    expect(priceBandRule(ctx(far))?.code).toBe('PRICE_BAND');
    expect(priceBandRule(ctx({ ...far, risk: undefined }))).toBeUndefined();
    expect(priceBandRule(ctx({ ...far, kind: 'exit' }))).toBeUndefined();
    expect(priceBandRule(ctx({ ...far, orderType: 'market' }))).toBeUndefined();
    expect(priceBandRule(ctx({ ...far, orderType: undefined }))).toBeUndefined();
  });
});
