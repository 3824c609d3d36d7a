import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import { fundsRule } from '../../../src/risk/preflight/funds-rule.ts';
import type { PreflightContext } from '../../../src/risk/preflight/index.ts';

// A 1 % taker fee makes fee-inclusive and fee-exclusive costs far apart: at price 100 and 1,000 available
// (plus the rule's 0.5 % margin = 1,005), fee-exclusive allows up to 10.05, fee-inclusive up to 9.9505.
const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.0001, priceStep: 0.01, minAmount: 0.0001, minNotional: 5, contractSize: 1, makerFee: 0.005, takerFee: 0.01 };
const ctx = (over: Partial<PreflightContext>): PreflightContext => ({
  kind: 'entry', side: 'long', symbol: 'BTC/USDT', quantity: 1, price: 100, position: undefined, market,
  tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 1000, equity: 1000, ...over,
});

describe('funds rule: the taker fee counts', () => {
  it('refuses an entry whose value fits the funds but whose value plus taker fee does not', () => {
    // 10 × 100 = 1,000 ≤ 1,005, but 1,000 × 1.01 = 1,010 > 1,005.
    const d = fundsRule(ctx({ quantity: 10 }));
    expect(d?.code).toBe('INSUFFICIENT_FUNDS');
    expect(d?.message).toBe('needs 1010.00 USDT, available 1000.00');
  });

  it('allows an entry whose value plus taker fee fits, just below the limit', () => {
    // 9.95 × 100 × 1.01 = 1,004.95 ≤ 1,005.
    expect(fundsRule(ctx({ quantity: 9.95 }))).toBeUndefined();
    expect(fundsRule(ctx({ quantity: 9.951 }))?.code).toBe('INSUFFICIENT_FUNDS'); // 1,005.05
  });

  it('uses the taker fee, not the maker fee (a market order takes liquidity)', () => {
    // Maker-fee cost 9.96 × 100 × 1.005 = 1,000.98 would pass; taker-fee cost 1,005.96 does not.
    expect(fundsRule(ctx({ quantity: 9.96 }))?.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('counts the contract size of a swap market', () => {
    const swap: MarketInfo = { ...market, symbol: 'BTC/USDT:USDT', type: 'swap', contractSize: 0.01 };
    expect(fundsRule(ctx({ market: swap, quantity: 995, symbol: swap.symbol }))).toBeUndefined(); // 995 × 100 × 0.01 × 1.01 = 1,004.95
    expect(fundsRule(ctx({ market: swap, quantity: 1000, symbol: swap.symbol }))?.code).toBe('INSUFFICIENT_FUNDS'); // 1,010
  });

  it('scales with the available funds and never blocks an exit', () => {
    expect(fundsRule(ctx({ quantity: 10, available: 1010 }))).toBeUndefined();
    expect(fundsRule(ctx({ quantity: 1, available: 0 }))?.code).toBe('INSUFFICIENT_FUNDS');
    expect(fundsRule(ctx({ kind: 'exit', quantity: 1000, available: 0 }))).toBeUndefined();
  });
});
