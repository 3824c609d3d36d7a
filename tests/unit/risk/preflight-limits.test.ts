import { describe, expect, it } from 'vitest';
import { dailyLossRule } from '../../../src/risk/preflight/daily-loss-rule.ts';
import { dataRule } from '../../../src/risk/preflight/data-rule.ts';
import { drawdownRule } from '../../../src/risk/preflight/drawdown-rule.ts';
import { duplicateIntentRule } from '../../../src/risk/preflight/duplicate-intent-rule.ts';
import { fundsRule } from '../../../src/risk/preflight/funds-rule.ts';
import { runPreflight } from '../../../src/risk/preflight/index.ts';
import { maxPositionRule } from '../../../src/risk/preflight/max-position-rule.ts';
import { openPositionsRule } from '../../../src/risk/preflight/open-positions-rule.ts';
import { orderNotionalRule } from '../../../src/risk/preflight/order-notional-rule.ts';
import { orderRateRule } from '../../../src/risk/preflight/order-rate-rule.ts';
import { panicRule } from '../../../src/risk/preflight/panic-rule.ts';
import { precisionRule } from '../../../src/risk/preflight/precision-rule.ts';
import { priceAgeRule } from '../../../src/risk/preflight/price-age-rule.ts';
import { priceBandRule } from '../../../src/risk/preflight/price-band-rule.ts';
import { protectionLockRule } from '../../../src/risk/preflight/protection-lock-rule.ts';
import { sizeRule } from '../../../src/risk/preflight/size-rule.ts';
import { spreadRule } from '../../../src/risk/preflight/spread-rule.ts';
import { tradingStateRule } from '../../../src/risk/preflight/trading-state-rule.ts';
import { intentKey, type RiskLimits } from '../../../src/risk/risk-view.ts';
import { contextMaker, quietSnapshot, spotMarket } from './support/preflight-context.ts';

const market = spotMarket();
const NOW = 1_700_000_000_000;
const snapshot = quietSnapshot(NOW);
const ctx = contextMaker(market, snapshot);
const exit = { kind: 'exit' as const, position: { symbol: 'BTC/USDT', quantity: 1, entryPrice: 100, realizedPnl: 0, openedAt: 0 } };

describe('pre-flight limits: each just inside and just outside', () => {
  it('trading state: HALTED denies all but kill-all closes; REDUCING denies entries only', () => {
    const halted = { state: 'HALTED' as const, reason: 'kill-all', changedBy: 'a', changedAt: 0 };
    expect(tradingStateRule(ctx({ ...exit, tradingState: halted }))?.code).toBe('HALTED');
    expect(tradingStateRule(ctx({ ...exit, tradingState: halted, source: 'kill-all' }))).toBeUndefined();
    const reducing = { ...halted, state: 'REDUCING' as const };
    expect(tradingStateRule(ctx({ tradingState: reducing }))?.code).toBe('NO_NEW_ENTRIES');
    expect(tradingStateRule(ctx({ ...exit, tradingState: reducing }))).toBeUndefined();
  });

  it('data: an exit without a usable price is denied; with one it passes', () => {
    expect(dataRule(ctx({ ...exit, price: Number.NaN }))?.code).toBe('NO_PRICE');
    expect(dataRule(ctx({ ...exit, price: 0 }))?.code).toBe('NO_PRICE');
    expect(dataRule(ctx({ ...exit, price: 0.0001 }))).toBeUndefined();
  });

  it('panic: 69.9 passes, 70 denies an entry; an exit passes at 100', () => {
    expect(panicRule(ctx({}, { panicThreshold: 70 }, { panicScore: 69.9 }))).toBeUndefined();
    expect(panicRule(ctx({}, { panicThreshold: 70 }, { panicScore: 70 }))?.code).toBe('PANIC');
    expect(panicRule(ctx(exit, { panicThreshold: 70 }, { panicScore: 100 }))).toBeUndefined();
  });

  it('max position %: 10 % of 1000 equity = 100 quote', () => {
    expect(maxPositionRule(ctx({ quantity: 1, price: 100 }, { maxPositionPct: 10 }))).toBeUndefined();
    expect(maxPositionRule(ctx({ quantity: 1.001, price: 100 }, { maxPositionPct: 10 }))?.code).toBe('MAX_POSITION');
    // Adds to what is already held.
    expect(maxPositionRule(ctx({ quantity: 0.5, position: { ...exit.position, quantity: 0.6 } }, { maxPositionPct: 10 }))?.code).toBe('MAX_POSITION');
  });

  it('max order notional', () => {
    expect(orderNotionalRule(ctx({ quantity: 2.5 }, { maxOrderNotional: 250 }))).toBeUndefined();
    expect(orderNotionalRule(ctx({ quantity: 2.51 }, { maxOrderNotional: 250 }))?.code).toBe('MAX_ORDER_NOTIONAL');
    expect(orderNotionalRule(ctx({ ...exit, quantity: 100 }, { maxOrderNotional: 250 }))).toBeUndefined();
  });

  it('max open positions: a new symbol at the limit is denied, adding to a held one is not', () => {
    expect(openPositionsRule(ctx({}, { maxOpenPositions: 3 }, { openPositions: 2 }))).toBeUndefined();
    expect(openPositionsRule(ctx({}, { maxOpenPositions: 3 }, { openPositions: 3 }))?.code).toBe('MAX_OPEN_POSITIONS');
    expect(openPositionsRule(ctx({ position: exit.position }, { maxOpenPositions: 3 }, { openPositions: 3 }))).toBeUndefined();
  });

  it('daily loss: 4.99 % passes, 5 % denies', () => {
    expect(dailyLossRule(ctx({ equity: 950.1 }, { dailyLossPct: 5 }))).toBeUndefined();
    expect(dailyLossRule(ctx({ equity: 950 }, { dailyLossPct: 5 }))?.code).toBe('DAILY_LOSS');
    expect(dailyLossRule(ctx({ ...exit, equity: 100 }, { dailyLossPct: 5 }))).toBeUndefined();
  });

  it('max drawdown from the peak', () => {
    expect(drawdownRule(ctx({ equity: 1600.1 }, { maxDrawdownPct: 20 }, { peakEquity: 2000 }))).toBeUndefined();
    expect(drawdownRule(ctx({ equity: 1600 }, { maxDrawdownPct: 20 }, { peakEquity: 2000 }))?.code).toBe('MAX_DRAWDOWN');
  });

  it('orders per minute', () => {
    expect(orderRateRule(ctx({}, { maxOrdersPerMinute: 10 }, { ordersLastMinute: 9 }))).toBeUndefined();
    expect(orderRateRule(ctx({}, { maxOrdersPerMinute: 10 }, { ordersLastMinute: 10 }))?.code).toBe('ORDER_RATE');
    expect(orderRateRule(ctx(exit, { maxOrdersPerMinute: 10 }, { ordersLastMinute: 50 }))).toBeUndefined();
  });

  it('exchange minimum notional and amount', () => {
    expect(sizeRule(ctx({ quantity: 0.05, price: 100 }))).toBeUndefined(); // 5.00 = the minimum
    expect(sizeRule(ctx({ quantity: 0.049, price: 100 }))?.code).toBe('BELOW_MIN_NOTIONAL');
    expect(sizeRule(ctx({ quantity: 0.001, price: 10_000 }))).toBeUndefined();
    expect(sizeRule(ctx({ quantity: 0.0009, price: 10_000 }))?.code).toBe('BELOW_MIN_AMOUNT');
  });

  it('lot step and price precision', () => {
    expect(precisionRule(ctx({ quantity: 0.123 }))).toBeUndefined();
    expect(precisionRule(ctx({ quantity: 0.1235 }))?.code).toBe('LOT_STEP');
    expect(precisionRule(ctx({ orderType: 'limit', limitPrice: 100.01 }))).toBeUndefined();
    expect(precisionRule(ctx({ orderType: 'limit', limitPrice: 100.015 }))?.code).toBe('PRICE_PRECISION');
  });

  it('lot step on large step counts: half a step off is refused however many steps (the tolerance covers rounding only)', () => {
    const whole = { ...ctx({}).market, amountStep: 1 };
    expect(precisionRule({ ...ctx({ quantity: 10_000_000 }), market: whole })).toBeUndefined();
    expect(precisionRule({ ...ctx({ quantity: 10_000_000.5 }), market: whole })?.code).toBe('LOT_STEP');
    expect(precisionRule({ ...ctx({ quantity: 600_000.5 }), market: whole })?.code).toBe('LOT_STEP');
    // satoshi steps: 10.00000001 BTC is a billion steps; one step more or less is fine, half a step is not
    const sats = { ...ctx({}).market, amountStep: 1e-8 };
    expect(precisionRule({ ...ctx({ quantity: 10.00000001 }), market: sats })).toBeUndefined();
    expect(precisionRule({ ...ctx({ quantity: 10.000000015 }), market: sats })?.code).toBe('LOT_STEP');
    // float noise of the division is not a refusal: 0.3 / 0.1 = 2.9999999999999996
    expect(precisionRule({ ...ctx({ quantity: 0.3 }), market: { ...ctx({}).market, amountStep: 0.1 } })).toBeUndefined();
    expect(precisionRule({ ...ctx({ quantity: 0.7 }), market: { ...ctx({}).market, amountStep: 0.1 } })).toBeUndefined();
  });

  it('fat finger: a limit within PRICE_BAND_PCT of the last price', () => {
    expect(priceBandRule(ctx({ orderType: 'limit', limitPrice: 105 }, { priceBandPct: 5 }))).toBeUndefined();
    expect(priceBandRule(ctx({ orderType: 'limit', limitPrice: 95 }, { priceBandPct: 5 }))).toBeUndefined();
    expect(priceBandRule(ctx({ orderType: 'limit', limitPrice: 105.01 }, { priceBandPct: 5 }))?.code).toBe('PRICE_BAND');
    expect(priceBandRule(ctx({ orderType: 'limit', limitPrice: 94.99 }, { priceBandPct: 5 }))?.code).toBe('PRICE_BAND');
    expect(priceBandRule(ctx({ orderType: 'limit' }, { priceBandPct: 5 }))?.code).toBe('BAD_LIMIT_PRICE');
  });

  it('fat finger: a market order needs a price younger than MAX_PRICE_AGE', () => {
    expect(priceAgeRule(ctx({}, { maxPriceAgeMs: 30_000 }, { priceTs: NOW - 30_000 }))).toBeUndefined();
    expect(priceAgeRule(ctx({}, { maxPriceAgeMs: 30_000 }, { priceTs: NOW - 30_001 }))?.code).toBe('PRICE_STALE');
    expect(priceAgeRule(ctx({}, { maxPriceAgeMs: 30_000 }, { priceTs: undefined }))?.code).toBe('PRICE_STALE');
    expect(priceAgeRule(ctx({ orderType: 'limit', limitPrice: 100 }, { maxPriceAgeMs: 30_000 }, { priceTs: 0 }))).toBeUndefined();
  });

  it('free balance, fees included', () => {
    expect(fundsRule(ctx({ quantity: 10, price: 100, available: 1000 }))).toBeUndefined(); // 1001 ≤ 1005
    expect(fundsRule(ctx({ quantity: 10.05, price: 100, available: 1000 }))?.code).toBe('INSUFFICIENT_FUNDS');
    expect(fundsRule(ctx({ quantity: 9, orderType: 'limit', limitPrice: 112, available: 1000 }))?.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('duplicate intent: same source, symbol and side in one candle', () => {
    const seen = new Set([intentKey('strategy', 'BTC/USDT', 'long', 60_000)]);
    expect(duplicateIntentRule(ctx({}, {}, { candleTs: 60_000, seenIntents: seen }))?.code).toBe('DUPLICATE_INTENT');
    expect(duplicateIntentRule(ctx({}, {}, { candleTs: 120_000, seenIntents: seen }))).toBeUndefined();
    expect(duplicateIntentRule(ctx({ source: 'manual' }, {}, { candleTs: 60_000, seenIntents: seen }))).toBeUndefined();
  });

  it('maximum spread', () => {
    expect(spreadRule(ctx({}, { maxSpreadPct: 0.5 }, { spreadPct: 0.5 }))).toBeUndefined();
    expect(spreadRule(ctx({}, { maxSpreadPct: 0.5 }, { spreadPct: 0.51 }))?.code).toBe('SPREAD');
    expect(spreadRule(ctx({}, { maxSpreadPct: 0.5 }, { spreadPct: undefined }))).toBeUndefined();
  });

  it('protection locks: until the lock ends', () => {
    const locks = new Map([['BTC/USDT', { until: NOW + 1, reason: 'cooldown' }]]);
    expect(protectionLockRule(ctx({}, {}, { locks }))?.code).toBe('SYMBOL_LOCKED');
    expect(protectionLockRule(ctx({}, {}, { locks, now: NOW + 1 }))).toBeUndefined();
    expect(protectionLockRule(ctx(exit, {}, { locks }))).toBeUndefined();
  });

  it('a reduce-only exit passes the whole chain in the worst conditions, unless its price is missing', () => {
    const worst: Partial<RiskLimits> = { maxPositionPct: 0, maxOrderNotional: 0, maxOpenPositions: 0, dailyLossPct: 0, maxDrawdownPct: 0, maxOrdersPerMinute: 0, priceBandPct: 0, maxPriceAgeMs: 0, maxSpreadPct: 0, panicThreshold: 0 };
    const locks = new Map([['BTC/USDT', { until: NOW + 1e9, reason: 'stop-loss guard' }]]);
    const bad = { panicScore: 100, openPositions: 99, ordersLastMinute: 999, priceTs: 0, spreadPct: 50, locks, dayStartEquity: 1e6, peakEquity: 1e6 };
    const reducing = { state: 'REDUCING' as const, reason: 'daily loss', changedBy: 'system', changedAt: 0 };
    expect(runPreflight(ctx({ ...exit, tradingState: reducing, available: 0 }, worst, bad))).toEqual([]);
    expect(runPreflight(ctx({ ...exit, price: Number.NaN }, worst, bad)).map((d) => d.code)).toEqual(['NO_PRICE']);
    expect(runPreflight(ctx({}, worst, bad)).length).toBeGreaterThan(8);
  });
});
