import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import { affordableQuantity, entryQuoteAmount, parseSizing } from '../../../src/risk/sizing.ts';

const market = (o: Partial<MarketInfo> = {}): MarketInfo => ({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0, priceStep: 0, minAmount: 0, minNotional: 0, contractSize: 1, makerFee: 0.001, takerFee: 0.001, ...o });

describe('entryQuoteAmount: the quote committed to one entry', () => {
  it('all-in: what is available, times the intent size fraction', () => {
    expect(entryQuoteAmount({ kind: 'all-in' }, 10_000, 8_000)).toBe(8_000);
    expect(entryQuoteAmount({ kind: 'all-in' }, 10_000, 8_000, 0.25)).toBe(2_000);
  });

  it('fixed: the amount, never more than is available', () => {
    expect(entryQuoteAmount({ kind: 'fixed', quote: 500 }, 10_000, 8_000)).toBe(500);
    expect(entryQuoteAmount({ kind: 'fixed', quote: 500 }, 10_000, 300)).toBe(300);
    expect(entryQuoteAmount({ kind: 'fixed', quote: 500 }, 10_000, 8_000, 0.5)).toBe(250);
  });

  it('percent: of equity (not of what is available), capped by what is available', () => {
    expect(entryQuoteAmount({ kind: 'percent', pct: 10 }, 10_000, 8_000)).toBe(1_000);
    expect(entryQuoteAmount({ kind: 'percent', pct: 10 }, 10_000, 600)).toBe(600);
    expect(entryQuoteAmount({ kind: 'percent', pct: 25 }, 4_000, 10_000, 0.5)).toBe(500);
  });

  it('kelly: the fraction of equity, a negative fraction is no entry, capped by what is available', () => {
    expect(entryQuoteAmount({ kind: 'kelly', fraction: 0.2 }, 10_000, 8_000)).toBe(2_000);
    expect(entryQuoteAmount({ kind: 'kelly', fraction: 0.2 }, 10_000, 8_000, 0.5)).toBe(1_000);
    expect(entryQuoteAmount({ kind: 'kelly', fraction: -0.3 }, 10_000, 8_000)).toBe(0);
    expect(entryQuoteAmount({ kind: 'kelly', fraction: 0.9 }, 10_000, 5_000)).toBe(5_000);
  });

  it('the size fraction is clamped to 0..1', () => {
    expect(entryQuoteAmount({ kind: 'fixed', quote: 500 }, 10_000, 8_000, 3)).toBe(500);
    expect(entryQuoteAmount({ kind: 'fixed', quote: 500 }, 10_000, 8_000, -1)).toBe(0);
  });
});

describe('parseSizing', () => {
  it.each([
    ['all-in', { kind: 'all-in' }],
    ['  ALL-IN ', { kind: 'all-in' }],
    ['kelly', { kind: 'kelly', fraction: 0 }],
    ['fixed:500', { kind: 'fixed', quote: 500 }],
    ['fixed:0.5', { kind: 'fixed', quote: 0.5 }],
    ['percent:12.25', { kind: 'percent', pct: 12.25 }],
    ['percent:100', { kind: 'percent', pct: 100 }],
  ])('%j → %j', (text, parsed) => {
    expect(parseSizing(text)).toEqual(parsed);
  });

  it.each(['fixed:0', 'percent:0', 'percent:100.5', 'xfixed:5', 'fixed:5x', 'percent:5.', 'fixed:-5', 'fixed:', 'percent', 'half', ''])('refuses %j naming what is accepted', (text) => {
    expect(() => parseSizing(text)).toThrow(/sizing ".*" is not valid: use all-in, fixed:AMOUNT, percent:P \(0 < P ≤ 100\) or kelly/);
  });
});

describe('parseSizing: the refusal', () => {
  it('is a bad request (the person typed it), not an internal error', () => {
    expect(() => parseSizing('half')).toThrow(expect.objectContaining({ name: 'AppError', code: 'BAD_REQUEST' }));
  });
});

describe('affordableQuantity: what a quote amount buys at the price it is sent at, fee included', () => {
  it('price × (1 + slip) × contract size × (1 + taker fee) per unit', () => {
    // 1,000 / (100 × 1.01 × 1 × 1.001) = 9.8911…
    expect(affordableQuantity(1_000, 100, market(), 0.01)).toBeCloseTo(1_000 / (100 * 1.01 * 1.001), 12);
    // A sell (negative slip) pays less per unit.
    expect(affordableQuantity(1_000, 100, market(), -0.01)).toBeCloseTo(1_000 / (100 * 0.99 * 1.001), 12);
    // Contracts of 10 units each.
    expect(affordableQuantity(1_000, 100, market({ contractSize: 10, takerFee: 0 }), 0)).toBeCloseTo(1, 12);
  });

  it('rounds down to the lot, and nothing for a negative balance', () => {
    expect(affordableQuantity(1_000, 100, market({ amountStep: 0.5, takerFee: 0 }), 0)).toBe(10);
    expect(affordableQuantity(999, 100, market({ amountStep: 0.5, takerFee: 0 }), 0)).toBe(9.5);
    expect(affordableQuantity(-50, 100, market(), 0)).toBe(0);
  });
});
