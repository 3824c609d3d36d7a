import type { MarketInfo } from '../../../src/domain/market.ts';
import { describe, expect, it } from 'vitest';
import { dailyLossRule } from '../../../src/risk/preflight/daily-loss-rule.ts';
import { dataRule } from '../../../src/risk/preflight/data-rule.ts';
import { drawdownRule } from '../../../src/risk/preflight/drawdown-rule.ts';
import { duplicateIntentRule } from '../../../src/risk/preflight/duplicate-intent-rule.ts';
import { fundsRule } from '../../../src/risk/preflight/funds-rule.ts';
import { maxPositionRule } from '../../../src/risk/preflight/max-position-rule.ts';
import { openPositionsRule } from '../../../src/risk/preflight/open-positions-rule.ts';
import { orderNotionalRule } from '../../../src/risk/preflight/order-notional-rule.ts';
import { orderRateRule } from '../../../src/risk/preflight/order-rate-rule.ts';
import { panicRule } from '../../../src/risk/preflight/panic-rule.ts';
import { precisionRule } from '../../../src/risk/preflight/precision-rule.ts';
import { priceAgeRule } from '../../../src/risk/preflight/price-age-rule.ts';
import { protectionLockRule } from '../../../src/risk/preflight/protection-lock-rule.ts';
import { shortRule } from '../../../src/risk/preflight/short-rule.ts';
import { sizeRule } from '../../../src/risk/preflight/size-rule.ts';
import { spreadRule } from '../../../src/risk/preflight/spread-rule.ts';
import { tradingStateRule } from '../../../src/risk/preflight/trading-state-rule.ts';
import { intentKey } from '../../../src/risk/risk-view.ts';
import { contextMaker, quietSnapshot, spotMarket } from './support/preflight-context.ts';

const market = spotMarket({ symbol: 'ETH/USDT', base: 'ETH', minAmount: 0.01 });
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const snapshot = quietSnapshot(NOW);
const active = { state: 'ACTIVE' as const, reason: '', changedBy: 'system', changedAt: 0 };
const ctx = contextMaker(market, snapshot);
const exit = { kind: 'exit' as const, position: { symbol: 'ETH/USDT', quantity: 1, entryPrice: 100, realizedPnl: 0, openedAt: 0 } };

describe('pre-flight denials: the sentence shown in chat and in the order-denied alert', () => {
  it('trading state', () => {
    expect(tradingStateRule(ctx({ tradingState: { ...active, state: 'HALTED', reason: 'kill-all by ana' } }))).toEqual({ code: 'HALTED', message: 'trading is halted: kill-all by ana' });
    expect(tradingStateRule(ctx({ tradingState: { ...active, state: 'REDUCING', reason: '/pause by bo' } }))).toEqual({ code: 'NO_NEW_ENTRIES', message: 'new entries are paused: /pause by bo' });
  });

  it('data and short', () => {
    expect(dataRule(ctx({ price: Number.NaN }))).toEqual({ code: 'NO_PRICE', message: 'no usable last price for ETH/USDT' });
    expect(shortRule(ctx({ side: 'short' }))).toEqual({ code: 'SHORT_NOT_ALLOWED', message: 'shorting is not allowed on ETH/USDT (spot market or configuration)' });
  });

  it('protection lock: until when (UTC, to the minute) and why', () => {
    const locks = new Map([['ETH/USDT', { until: Date.UTC(2026, 11, 6, 13, 5, 42), reason: 'cooldown 65 min after an exit' }]]);
    expect(protectionLockRule(ctx({}, {}, { locks }))).toEqual({ code: 'SYMBOL_LOCKED', message: 'ETH/USDT is locked until 2026-12-06 13:05 UTC: cooldown 65 min after an exit' });
  });

  it('panic, daily loss, drawdown, order rate', () => {
    expect(panicRule(ctx({}, { panicThreshold: 70 }, { panicScore: 81.6 }))).toEqual({ code: 'PANIC', message: 'panic score 82 ≥ threshold 70' });
    expect(dailyLossRule(ctx({ equity: 940 }, { dailyLossPct: 5 }))).toEqual({ code: 'DAILY_LOSS', message: "today's loss 6.00% reached the daily limit 5%" });
    expect(drawdownRule(ctx({ equity: 750 }, { maxDrawdownPct: 20 }))).toEqual({ code: 'MAX_DRAWDOWN', message: 'drawdown 25.00% from the peak reached the limit 20%' });
    expect(orderRateRule(ctx({}, { maxOrdersPerMinute: 10 }, { ordersLastMinute: 12 }))).toEqual({ code: 'ORDER_RATE', message: '12 orders in the last minute; MAX_ORDERS_PER_MINUTE is 10' });
  });

  it('duplicate intent names the side, symbol and source (strategy when none is given)', () => {
    const seenIntents = new Set([intentKey('strategy', 'ETH/USDT', 'long', 60_000), intentKey('signal', 'ETH/USDT', 'short', 60_000)]);
    expect(duplicateIntentRule(ctx({}, {}, { candleTs: 60_000, seenIntents }))).toEqual({ code: 'DUPLICATE_INTENT', message: 'a long entry on ETH/USDT from strategy was already approved for this candle' });
    expect(duplicateIntentRule(ctx({ side: 'short', source: 'signal' }, {}, { candleTs: 60_000, seenIntents }))).toEqual({ code: 'DUPLICATE_INTENT', message: 'a short entry on ETH/USDT from signal was already approved for this candle' });
  });

  it('size: zero, below the minimum amount, below the minimum value', () => {
    expect(sizeRule(ctx({ quantity: 0 }))).toEqual({ code: 'ZERO_SIZE', message: 'order size for ETH/USDT rounds to zero at lot step 0.001' });
    expect(sizeRule(ctx({ quantity: 0.005 }))).toEqual({ code: 'BELOW_MIN_AMOUNT', message: '0.005 ETH is below the minimum 0.01' });
    expect(sizeRule(ctx({ quantity: 0.04 }))).toEqual({ code: 'BELOW_MIN_NOTIONAL', message: 'order value 4.00 USDT is below the minimum 5' });
  });

  it('precision: lot step and tick', () => {
    expect(precisionRule(ctx({ quantity: 0.1235 }))).toEqual({ code: 'LOT_STEP', message: '0.1235 ETH is not a multiple of the lot step 0.001' });
    expect(precisionRule(ctx({ orderType: 'limit', limitPrice: 100.015 }))).toEqual({ code: 'PRICE_PRECISION', message: 'limit price 100.015 has more than 2 decimals (tick 0.01)' });
  });

  it('price age: in whole seconds, or unknown', () => {
    expect(priceAgeRule(ctx({}, { maxPriceAgeMs: 30_000 }, { priceTs: NOW - 95_400 }))).toEqual({ code: 'PRICE_STALE', message: 'last price of ETH/USDT is 95 s old; MAX_PRICE_AGE is 30 s' });
    expect(priceAgeRule(ctx({}, { maxPriceAgeMs: 30_000 }, { priceTs: undefined }))).toEqual({ code: 'PRICE_STALE', message: 'the age of the last price of ETH/USDT is unknown' });
  });

  it('spread, order value, position size, open positions, funds', () => {
    expect(spreadRule(ctx({}, { maxSpreadPct: 0.5 }, { spreadPct: 0.8125 }))).toEqual({ code: 'SPREAD', message: 'spread 0.813% is wider than MAX_SPREAD_PCT 0.5%' });
    expect(orderNotionalRule(ctx({ quantity: 3 }, { maxOrderNotional: 250 }))).toEqual({ code: 'MAX_ORDER_NOTIONAL', message: 'order value 300.00 USDT is above MAX_ORDER_NOTIONAL 250' });
    expect(maxPositionRule(ctx({ quantity: 2 }, { maxPositionPct: 10 }))).toEqual({ code: 'MAX_POSITION', message: 'position would be 200.00 USDT, above 10% of equity (100.00)' });
    expect(openPositionsRule(ctx({}, { maxOpenPositions: 3 }, { openPositions: 3 }))).toEqual({ code: 'MAX_OPEN_POSITIONS', message: '3 positions are open; the limit is 3' });
    expect(fundsRule(ctx({ quantity: 20 }))).toEqual({ code: 'INSUFFICIENT_FUNDS', message: 'needs 2002.00 USDT, available 1000.00' });
  });
});

describe('pre-flight rules: what they leave alone', () => {
  it('without configured limits the limit rules pass', () => {
    const bare = ctx({ risk: undefined });
    expect(duplicateIntentRule(bare)).toBeUndefined();
    expect(openPositionsRule(bare)).toBeUndefined();
  });

  it('exits are never duplicates, never held by the open-positions limit, never judged on precision', () => {
    const seenIntents = new Set([intentKey('strategy', 'ETH/USDT', 'long', 60_000)]);
    expect(duplicateIntentRule(ctx({ kind: 'exit' }, {}, { candleTs: 60_000, seenIntents }))).toBeUndefined();
    expect(openPositionsRule(ctx({ kind: 'exit' }, { maxOpenPositions: 1 }, { openPositions: 5 }))).toBeUndefined();
    expect(precisionRule(ctx({ ...exit, quantity: 0.1235 }))).toBeUndefined();
  });

  it('precision: a quantity that is not a positive number is the size rule\'s business', () => {
    expect(precisionRule(ctx({ quantity: Number.NaN }))).toBeUndefined();
    expect(precisionRule(ctx({ quantity: -0.1235 }))).toBeUndefined();
  });

  it('precision: the tick is checked for a limit order with a limit price only', () => {
    expect(precisionRule(ctx({ orderType: 'market', limitPrice: 100.015 }))).toBeUndefined();
    expect(precisionRule(ctx({ limitPrice: 100.015 }))).toBeUndefined();
    expect(precisionRule(ctx({ orderType: 'limit', limitPrice: undefined }))).toBeUndefined();
  });

  it('contracts: order value and minimum value count contractSize units per contract', () => {
    const contracts: MarketInfo = { ...market, contractSize: 10, minNotional: 50 };
    expect(orderNotionalRule(ctx({ quantity: 0.3, market: contracts }, { maxOrderNotional: 250 }))?.message).toBe('order value 300.00 USDT is above MAX_ORDER_NOTIONAL 250');
    expect(orderNotionalRule(ctx({ quantity: 0.2, market: contracts }, { maxOrderNotional: 250 }))).toBeUndefined();
    expect(sizeRule(ctx({ quantity: 0.04, market: contracts }))?.message).toBe('order value 40.00 USDT is below the minimum 50');
    expect(sizeRule(ctx({ quantity: 0.05, market: contracts }))).toBeUndefined();
  });
});
