import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { Position } from '../../../src/domain/portfolio.ts';
import type { PreflightContext } from '../../../src/risk/preflight/index.ts';
import { positionRule } from '../../../src/risk/preflight/position-rule.ts';

const market: MarketInfo = { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', type: 'swap', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0, takerFee: 0.001 };
const held = (quantity: number): Position => ({ symbol: 'ETH/USDT', quantity, entryPrice: 100, realizedPnl: 0, openedAt: 0 });
const ctx = (kind: 'entry' | 'exit', side: 'long' | 'short', position: Position | undefined): PreflightContext => ({
  kind, side, symbol: 'ETH/USDT', quantity: 1, price: 100, position, market,
  tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: true, available: 1000, equity: 1000,
});

describe('position rule: the denial people read in chat', () => {
  it('an exit with nothing held names the symbol', () => {
    expect(positionRule(ctx('exit', 'long', undefined))).toEqual({ code: 'NO_POSITION', message: 'no open position on ETH/USDT to exit' });
    expect(positionRule(ctx('exit', 'short', held(0)))).toEqual({ code: 'NO_POSITION', message: 'no open position on ETH/USDT to exit' });
  });

  it('an exit of a long or a short position passes', () => {
    expect(positionRule(ctx('exit', 'long', held(0.5)))).toBeUndefined();
    expect(positionRule(ctx('exit', 'short', held(-0.5)))).toBeUndefined();
  });

  it('an entry on a flat symbol passes, either side', () => {
    expect(positionRule(ctx('entry', 'long', undefined))).toBeUndefined();
    expect(positionRule(ctx('entry', 'short', held(0)))).toBeUndefined();
  });

  it('an entry onto a position of the same side is refused as already in it', () => {
    expect(positionRule(ctx('entry', 'long', held(0.5)))).toEqual({ code: 'ALREADY_IN_POSITION', message: 'already long ETH/USDT' });
    expect(positionRule(ctx('entry', 'short', held(-0.5)))).toEqual({ code: 'ALREADY_IN_POSITION', message: 'already short ETH/USDT' });
  });

  it('an entry against an open position of the other side says which one must be closed first', () => {
    expect(positionRule(ctx('entry', 'short', held(0.5)))).toEqual({ code: 'OPPOSITE_POSITION_OPEN', message: 'a long position on ETH/USDT must be closed first' });
    expect(positionRule(ctx('entry', 'long', held(-0.5)))).toEqual({ code: 'OPPOSITE_POSITION_OPEN', message: 'a short position on ETH/USDT must be closed first' });
  });
});
