import { describe, expect, it } from 'vitest';
import { preflightInputHash } from '../../../src/risk/input-hash.ts';
import { contextMaker, quietSnapshot, spotMarket } from './support/preflight-context.ts';

const market = spotMarket();
const snapshot = quietSnapshot(1_000_000, { openPositions: 1, peakEquity: 1100, ordersLastMinute: 2, priceTs: undefined });
const ctx = contextMaker(market, snapshot);
const held = { symbol: 'BTC/USDT', quantity: 0.5, entryPrice: 90, realizedPnl: 0, openedAt: 0 };

describe('pre-flight input hash: one hash for one set of inputs', () => {
  it('equal inputs give the same hash; the defaults (strategy, market order) equal their explicit values', () => {
    expect(preflightInputHash(ctx())).toBe(preflightInputHash(ctx()));
    expect(preflightInputHash(ctx())).toMatch(/^[0-9a-f]{64}$/);
    expect(preflightInputHash(ctx({ source: 'strategy', orderType: 'market' }))).toBe(preflightInputHash(ctx()));
  });

  it('changes with the position, the order type and the limit price', () => {
    const base = preflightInputHash(ctx({ position: held }));
    expect(preflightInputHash(ctx({ position: { ...held, quantity: 0.7 } }))).not.toBe(base);
    expect(preflightInputHash(ctx({ position: { ...held, entryPrice: 95 } }))).not.toBe(base);
    expect(preflightInputHash(ctx())).not.toBe(base);
    const limit = preflightInputHash(ctx({ orderType: 'limit', limitPrice: 99 }));
    expect(limit).not.toBe(preflightInputHash(ctx({ limitPrice: 99 })));
    expect(limit).not.toBe(preflightInputHash(ctx({ orderType: 'limit', limitPrice: 98 })));
  });

  it('changes with the limits and with every market fact of the snapshot', () => {
    const base = preflightInputHash(ctx());
    const variants = [
      preflightInputHash(ctx({}, { maxOrderNotional: 500 })),
      preflightInputHash(ctx({}, {}, { now: 1_000_001 })),
      preflightInputHash(ctx({}, {}, { panicScore: 12 })),
      preflightInputHash(ctx({}, {}, { openPositions: 2 })),
      preflightInputHash(ctx({}, {}, { priceTs: 999_000 })),
      preflightInputHash(ctx({}, {}, { spreadPct: 0.2 })),
      preflightInputHash(ctx({}, {}, { candleTs: 960_000 })),
      preflightInputHash(ctx({}, {}, { locks: new Map([['BTC/USDT', { until: 2_000_000, reason: 'cooldown' }]]) })),
      preflightInputHash(ctx({ risk: undefined })),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    // Another symbol's lock is not an input of this verdict.
    expect(preflightInputHash(ctx({}, {}, { locks: new Map([['ETH/USDT', { until: 2_000_000, reason: 'cooldown' }]]) }))).toBe(base);
  });
});
