import { describe, expect, it } from 'vitest';
import { createTradeStats, statsFromBacktest } from '../../../src/app/kelly-stats.ts';
import type { RiskStore } from '../../../src/ports/risk-store.ts';

const store = (pnls: number[]) => ({ closedTradePnls: async (_s: string, _y: string, limit: number) => pnls.slice(0, limit) }) as unknown as RiskStore;
const runs = [
  { status: 'done', strategy: 'other', symbol: 'BTC/USDT', metrics: { trades: 9, winRatePct: 90, profitFactor: 9 } },
  { status: 'failed', strategy: 'rsi-bb', symbol: 'BTC/USDT', metrics: { trades: 7, winRatePct: 10, profitFactor: 0.1 } },
  { status: 'done', strategy: 'rsi-bb', symbol: 'BTC/USDT', metrics: { trades: 40, winRatePct: 50, profitFactor: 2 } },
];

describe('Kelly trade stats: live trades, else the latest backtest', () => {
  it('takes the last KELLY_LOOKBACK closed trades when there are any', async () => {
    const s = await createTradeStats({ strategy: 'rsi-bb', lookback: 3, riskStore: store([10, -5, 10, -100]), backtests: async () => runs })('BTC/USDT');
    expect(s).toEqual({ source: 'live', trades: 3, winRate: 2 / 3, payoff: 10 / 5 });
  });

  it('else the newest finished backtest of that strategy and symbol (R = PF × (1 − W) / W)', async () => {
    const s = await createTradeStats({ strategy: 'rsi-bb', lookback: 50, riskStore: store([]), backtests: async () => runs })('BTC/USDT');
    expect(s).toEqual({ source: 'backtest', trades: 40, winRate: 0.5, payoff: 2 });
    expect(statsFromBacktest({ trades: 4, winRatePct: 100, profitFactor: null })?.payoff).toBe(Infinity);
  });

  it('else none', async () => {
    const s = await createTradeStats({ strategy: 'rsi-bb', lookback: 50, backtests: async () => [] })('ETH/USDT');
    expect(s.source).toBe('none');
    expect(s.trades).toBe(0);
  });
});
