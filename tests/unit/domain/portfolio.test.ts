import { describe, expect, it } from 'vitest';
import { Portfolio } from '../../../src/domain/portfolio.ts';

const marks = (m: Record<string, number>) => new Map(Object.entries(m));

describe('Portfolio', () => {
  it('opens, adds to and closes a long with realised P&L and fees', () => {
    const p = new Portfolio(10_000);
    p.applyFill('BTC/USDT', 'buy', 1, 100, 0.1, 1);
    p.applyFill('BTC/USDT', 'buy', 1, 110, 0.11, 2);
    expect(p.get('BTC/USDT')!.quantity).toBe(2);
    expect(p.get('BTC/USDT')!.entryPrice).toBeCloseTo(105, 12);
    expect(p.equity(marks({ 'BTC/USDT': 120 }))).toBeCloseTo(10_000 - 0.21 + (120 - 105) * 2, 9);
    const e = p.applyFill('BTC/USDT', 'sell', 2, 120, 0.24, 3);
    expect(e.realizedPnl).toBeCloseTo(30, 9);
    expect(e.closedQuantity).toBe(2);
    expect(e.after).toBeUndefined();
    expect(p.get('BTC/USDT')).toBeUndefined();
    expect(p.cash).toBeCloseTo(10_000 + 30 - 0.1 - 0.11 - 0.24, 9);
  });

  it('accounts a short and a flip from short to long', () => {
    const p = new Portfolio(1_000);
    p.applyFill('ETH/USDT', 'sell', 2, 50, 0, 1);
    expect(p.get('ETH/USDT')!.quantity).toBe(-2);
    expect(p.unrealizedPnl(marks({ 'ETH/USDT': 40 }))).toBeCloseTo(20, 12);
    const e = p.applyFill('ETH/USDT', 'buy', 3, 40, 0, 2);
    expect(e.realizedPnl).toBeCloseTo(20, 12);
    expect(e.closedQuantity).toBe(2);
    expect(p.get('ETH/USDT')!.quantity).toBe(1);
    expect(p.get('ETH/USDT')!.entryPrice).toBe(40);
    expect(p.cash).toBeCloseTo(1_020, 12);
  });

  it('partially reduces a position keeping its entry price', () => {
    const p = new Portfolio(0);
    p.applyFill('X/USDT', 'buy', 4, 10, 0, 1);
    const e = p.applyFill('X/USDT', 'sell', 1, 12, 0, 2);
    expect(e.realizedPnl).toBeCloseTo(2, 12);
    expect(p.get('X/USDT')!.quantity).toBe(3);
    expect(p.get('X/USDT')!.entryPrice).toBe(10);
    expect(p.lockedNotional()).toBe(30);
  });

  it("keeps each position's own running P&L: fees paid, P&L realised while it stays open, the entry averaged by quantity", () => {
    const p = new Portfolio(0);
    p.applyFill('BTC/USDT', 'buy', 2, 100, 0.2, 1);
    expect(p.get('BTC/USDT')).toMatchObject({ quantity: 2, entryPrice: 100, realizedPnl: -0.2, openedAt: 1 });
    p.applyFill('BTC/USDT', 'buy', 2, 110, 0.3, 2);
    expect(p.get('BTC/USDT')!.entryPrice).toBeCloseTo(105, 12);
    expect(p.get('BTC/USDT')!.realizedPnl).toBeCloseTo(-0.5, 12);
    expect(p.bookFill('BTC/USDT', 'sell', 1, 120, 0.1, 3)).toBeCloseTo(15, 12);
    expect(p.get('BTC/USDT')).toMatchObject({ quantity: 3, entryPrice: 105, openedAt: 1 });
    expect(p.get('BTC/USDT')!.realizedPnl).toBeCloseTo(-0.5 + 15 - 0.1, 12);
    expect(p.cash).toBeCloseTo(-0.6 + 15, 12);
  });

  it('a remainder within rounding of a large position closes it; restoring a flat position removes it', () => {
    const p = new Portfolio(0);
    p.applyFill('X/USDT', 'buy', 1000, 1, 0, 1);
    p.applyFill('X/USDT', 'sell', 1000 - 5e-10, 1, 0, 2); // 5e-10 left: below 1e-12 of the quantity sold
    expect(p.get('X/USDT')).toBeUndefined();
    p.applyFill('X/USDT', 'buy', 1000, 1, 0, 3);
    p.applyFill('X/USDT', 'sell', 1000 - 5e-6, 1, 0, 4); // a real remainder stays
    expect(p.get('X/USDT')!.quantity).toBeCloseTo(5e-6, 12);
    p.restore({ symbol: 'X/USDT', quantity: 0, entryPrice: 1, realizedPnl: 0, openedAt: 5 });
    expect(p.get('X/USDT')).toBeUndefined();
    p.restore({ symbol: 'X/USDT', quantity: 2, entryPrice: 1, realizedPnl: 0, openedAt: 6 });
    expect(p.get('X/USDT')!.quantity).toBe(2);
  });

  it('bookFill books exactly what applyFill books and returns its realised P&L; applyFill says what changed', () => {
    const fills: Array<[string, 'buy' | 'sell', number, number, number]> = [
      ['X/USDT', 'buy', 1.5, 100, 0.15], // open
      ['X/USDT', 'buy', 0.5, 104, 0.05], // add
      ['X/USDT', 'sell', 0.7, 110, 0.07], // reduce
      ['X/USDT', 'sell', 2.3, 90, 0.2], // flip to short
      ['X/USDT', 'buy', 1, 95, 0.1], // close
      ['Y/USDT', 'sell', 3, 7, 0.02], // a short on another symbol
    ];
    const a = new Portfolio(1_000);
    const b = new Portfolio(1_000);
    const effects = fills.map(([sym, side, q, px, fee], k) => {
      const before = a.get(sym) ? { ...a.get(sym)! } : undefined;
      const e = a.applyFill(sym, side, q, px, fee, k);
      expect(b.bookFill(sym, side, q, px, fee, k)).toBe(e.realizedPnl);
      expect(b.all()).toEqual(a.all());
      expect(b.cash).toBe(a.cash);
      // The copies in the effect are the positions before and after, not the live objects.
      if (before) expect(e.before).toEqual(before);
      else expect('before' in e).toBe(false);
      expect(e.after).toEqual(a.get(sym));
      if (e.after) expect(e.after).not.toBe(a.get(sym));
      return e;
    });
    [0, 0, 0.7, 1.3, 1, 0].forEach((q, k) => expect(effects[k]!.closedQuantity).toBeCloseTo(q, 12));
    expect(effects[4]!.after).toBeUndefined();
    expect(effects[3]!.after).toMatchObject({ entryPrice: 90, realizedPnl: 0, openedAt: 3 });
    expect(effects[3]!.after!.quantity).toBeCloseTo(-1, 12);
  });

  it('rolls back to a checkpoint', () => {
    const p = new Portfolio(100);
    p.applyFill('X/USDT', 'buy', 1, 10, 1, 1);
    const cp = p.checkpoint('X/USDT');
    p.applyFill('X/USDT', 'sell', 1, 20, 1, 2);
    expect(p.get('X/USDT')).toBeUndefined();
    p.rollback(cp);
    expect(p.get('X/USDT')!.quantity).toBe(1);
    expect(p.cash).toBe(99);
  });
});
