import { describe, expect, it } from 'vitest';
import { closedTrades, performanceBySymbol } from '../../../src/domain/closed-trades.ts';

const fill = (ts: number, symbol: string, side: 'buy' | 'sell', price: number, amount: number, fee = 0, id = `o${ts}`, feeCurrency = 'USDT') => ({ ts, symbol, side, price, amount, fee, feeCurrency, clientOrderId: id });

describe('closedTrades', () => {
  it('pairs an entry with its exit, net of both fees, with the exit order\'s reason; open positions are left out', () => {
    const trades = closedTrades(
      [fill(1, 'BTC/USDT', 'buy', 100, 2, 0.2), fill(5, 'BTC/USDT', 'sell', 110, 2, 0.22, 'exit-1'), fill(6, 'ETH/USDT', 'buy', 10, 1)],
      (id) => (id === 'exit-1' ? 'take-profit' : undefined),
    );
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ symbol: 'BTC/USDT', side: 'long', entryTs: 1, exitTs: 5, entryPrice: 100, exitPrice: 110, quantity: 2, exitReason: 'take-profit' });
    expect(trades[0]!.pnl).toBeCloseTo(20 - 0.42, 10);
    expect(trades[0]!.pnlPct).toBeCloseTo((19.58 / 200) * 100, 10);
  });

  it('averages scaled entries and partial exits; values base-coin fees at the fill price; newest exit first', () => {
    const trades = closedTrades([
      fill(1, 'BTC/USDT', 'buy', 100, 1),
      fill(2, 'BTC/USDT', 'buy', 120, 1),
      fill(3, 'BTC/USDT', 'sell', 130, 1),
      fill(4, 'BTC/USDT', 'sell', 90, 1, 0.01, 'x', 'BTC'),
      fill(7, 'ETH/USDT', 'sell', 50, 2),
      fill(8, 'ETH/USDT', 'buy', 40, 2),
    ]);
    expect(trades.map((t) => [t.symbol, t.side])).toEqual([['ETH/USDT', 'short'], ['BTC/USDT', 'long']]);
    const btc = trades[1]!;
    expect(btc.entryPrice).toBe(110);
    expect(btc.exitPrice).toBe(110);
    expect(btc.pnl).toBeCloseTo(-0.9, 10); // flat gross, a 0.01 BTC fee at 90
    expect(trades[0]!.pnl).toBeCloseTo(20, 10);
  });

  it('a fill through zero closes the trade and opens the opposite one with the rest (fee shared pro rata)', () => {
    const trades = closedTrades([fill(1, 'X/USDT', 'buy', 10, 1), fill(2, 'X/USDT', 'sell', 12, 3, 0.3), fill(3, 'X/USDT', 'buy', 11, 2)]);
    expect(trades.map((t) => [t.side, t.quantity, t.entryPrice, t.exitPrice])).toEqual([['short', 2, 12, 11], ['long', 1, 10, 12]]);
    expect(trades[1]!.pnl).toBeCloseTo(2 - 0.1, 10);
    expect(trades[0]!.pnl).toBeCloseTo(2 - 0.2, 10);
  });

  it('a spot buy whose fee is taken in the coin is closed by selling what was received', () => {
    const trades = closedTrades([fill(1, 'BTC/USDT', 'buy', 100, 1, 0.001, 'b', 'BTC'), fill(2, 'BTC/USDT', 'sell', 110, 0.999, 0.1)]);
    expect(trades).toHaveLength(1);
    expect(trades[0]!.quantity).toBeCloseTo(0.999, 12);
    // Paid 100 for 0.999 coins, sold them for 109.89, paid 0.1 on the sale.
    expect(trades[0]!.pnl).toBeCloseTo(109.89 - 100 - 0.1, 9);
  });

  it('sorts fills given out of order', () => {
    expect(closedTrades([fill(5, 'A/USDT', 'sell', 2, 1), fill(1, 'A/USDT', 'buy', 1, 1)])).toHaveLength(1);
  });
});

describe('performanceBySymbol', () => {
  it('counts trades and wins, sums P&L and averages % per symbol, best first', () => {
    const t = (symbol: string, pnl: number, pnlPct: number) => ({ symbol, side: 'long' as const, entryTs: 0, exitTs: 1, entryPrice: 1, exitPrice: 1, quantity: 1, pnl, pnlPct, fees: 0, exitReason: '—' });
    expect(performanceBySymbol([t('A', 5, 1), t('B', 20, 4), t('A', -1, -0.5)])).toEqual([
      { symbol: 'B', trades: 1, wins: 1, pnl: 20, avgPct: 4 },
      { symbol: 'A', trades: 2, wins: 1, pnl: 4, avgPct: 0.25 },
    ]);
  });
});
