import { describe, expect, it } from 'vitest';
import { accountCash, accountSummary, describeAccount } from '../../../src/domain/account.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';

const money = (n: number) => n.toFixed(2);

describe('accountSummary: the account as the venue shows it, worked out by hand with fees', () => {
  it('spot: cash is the free quote balance (coins bought are paid for), equity = cash + holdings at the last price', () => {
    const p = new Portfolio(10_000);
    // Buy 0.2 BTC at 20,000, fee 0.1 % = 4 USDT: 10,000 − 4,000 − 4 = 5,996 USDT left.
    p.applyFill('BTC/USDT', 'buy', 0.2, 20_000, 4, 1);
    let a = accountSummary(p, new Map([['BTC/USDT', 21_000]]), { marketType: 'spot', quote: 'USDT' });
    expect(a).toEqual({ marketType: 'spot', quote: 'USDT', cash: 5_996, holdings: 4_200, unrealizedPnl: 200, equity: 10_196 });
    // Sell 0.1 at 22,000, fee 2.20: 5,996 + 2,200 − 2.2 = 8,193.80; 0.1 BTC left, worth 2,200.
    p.applyFill('BTC/USDT', 'sell', 0.1, 22_000, 2.2, 2);
    a = accountSummary(p, new Map([['BTC/USDT', 22_000]]), { marketType: 'spot', quote: 'USDT' });
    expect(a.marketType).toBe('spot');
    expect(accountCash(a)).toBeCloseTo(8_193.8, 9);
    expect(a.equity).toBeCloseTo(10_393.8, 9);
    expect(describeAccount(a, money)).toBe('Equity 10393.80 USDT = cash (free USDT) 8193.80 + holdings 2200.00 at last prices');
    // Without a last price a position is valued at its cost.
    expect(accountSummary(p, new Map(), { marketType: 'spot', quote: 'USDT' }).equity).toBeCloseTo(8_193.8 + 2_000, 9);
  });

  it('swap: wallet balance, unrealised P&L, margin used and available, labelled', () => {
    const p = new Portfolio(10_000);
    // Short 1 ETH at 2,000, fee 0.05 % = 1: wallet 9,999; at 1,900 the short is up 100.
    p.applyFill('ETH/USDT:USDT', 'sell', 1, 2_000, 1, 1);
    const a = accountSummary(p, new Map([['ETH/USDT:USDT', 1_900]]), { marketType: 'swap', quote: 'USDT', leverage: 5 });
    expect(a).toEqual({ marketType: 'swap', quote: 'USDT', walletBalance: 9_999, unrealizedPnl: 100, marginUsed: 400, marginAvailable: 9_699, equity: 10_099 });
    expect(accountCash(a)).toBe(9_999);
    expect(describeAccount(a, money)).toBe('Equity 10099.00 USDT = wallet 9999.00 + unrealised 100.00 · margin used 400.00 · available 9699.00');
  });
});
