import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import { fundsRule } from '../../../src/risk/preflight/funds-rule.ts';
import { runPreflight, type PreflightContext } from '../../../src/risk/preflight/index.ts';
import { sizeRule } from '../../../src/risk/preflight/size-rule.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0, takerFee: 0.001 };
const ctx = (over: Partial<PreflightContext>): PreflightContext => ({
  kind: 'entry', side: 'long', symbol: 'BTC/USDT', quantity: 1, price: 100, position: undefined, market,
  tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 1000, equity: 1000, ...over,
});

describe('pre-flight rules', () => {
  it('funds: refuses an entry costing more than is available, fees included', () => {
    expect(fundsRule(ctx({ quantity: 9.99, available: 1000 }))).toBeUndefined();
    expect(fundsRule(ctx({ quantity: 10.1, available: 1000 }))?.code).toBe('INSUFFICIENT_FUNDS');
    expect(fundsRule(ctx({ kind: 'exit', quantity: 100, available: 0 }))).toBeUndefined();
  });

  it('size: zero, below minimum amount and below minimum notional; never blocks an exit', () => {
    expect(sizeRule(ctx({ quantity: 0 }))?.code).toBe('ZERO_SIZE');
    expect(sizeRule(ctx({ quantity: Number.NaN }))?.code).toBe('ZERO_SIZE');
    expect(sizeRule(ctx({ quantity: 0.0005 }))?.code).toBe('BELOW_MIN_AMOUNT');
    expect(sizeRule(ctx({ quantity: 0.01, price: 100 }))?.code).toBe('BELOW_MIN_NOTIONAL');
    expect(sizeRule(ctx({ kind: 'exit', quantity: 0.0001 }))).toBeUndefined();
  });

  it('reports every denial at once', () => {
    const denials = runPreflight(ctx({ side: 'short', quantity: 0, tradingState: { state: 'REDUCING', reason: 'paused', changedBy: 'a', changedAt: 0 } }));
    expect(denials.map((d) => d.code)).toEqual(['NO_NEW_ENTRIES', 'SHORT_NOT_ALLOWED', 'ZERO_SIZE']);
  });
});
