import { describe, expect, it } from 'vitest';
import { backtestResultReply } from '../../../commands/backtest-replies.ts';
import { pct, share } from '../../../commands/format.ts';
import type { BacktestRunView } from '../../../commands/services.ts';

describe('backtest result reply', () => {
  it('signs returns but not the win rate (a share of trades is never "+")', () => {
    const run = { id: 7, status: 'done', strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', progress: 1, createdAt: 0, metrics: { returnPct: 12.5, winRatePct: 39.84, maxDrawdownPct: -8.1, trades: 31 } } as unknown as BacktestRunView;
    const rows = Object.fromEntries(backtestResultReply(run).tables![0]!.rows as Array<[string, string]>);
    expect(rows['Return']).toBe('+12.50%');
    expect(rows['Win rate']).toBe('39.84%');
    expect(rows['Max drawdown']).toBe('-8.10%');
  });

  it('share: unsigned, fixed decimals, a dash for nothing', () => {
    expect(share(39.844)).toBe('39.84%');
    expect(share(0)).toBe('0.00%');
    expect(share(100, 0)).toBe('100%');
    expect(share(null)).toBe('—');
    expect(share(Number.NaN)).toBe('—');
    expect(pct(5)).toBe('+5.00%');
  });
});
